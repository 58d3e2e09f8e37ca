package org.scimgate.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scimgate.policy.ReferenceList;

class EmailAddressTest {

    @Test
    void comparesInternationalDomainsInTheirPunycodeForm() {
        ReferenceList allowed = ReferenceList.of("domains", List.of("bücher.de", "ACME.com"));
        assertThat(allowed.domains()).containsExactlyInAnyOrder("xn--bcher-kva.de", "acme.com");
        assertThat(EmailAddress.parse("anna@bücher.de").domain()).isEqualTo("xn--bcher-kva.de");
        assertThat(EmailAddress.parse("anna@XN--BCHER-KVA.de").domain()).isEqualTo("xn--bcher-kva.de");
    }

    @Test
    void refusesLookAlikesAndNonCanonicalForms() {
        assertThat(EmailAddress.parse("a@\u0430cme.com").domain()).as("Cyrillic a").isNotEqualTo("acme.com");
        assertThat(EmailAddress.parse("a@\uff41cme.com").valid()).as("full-width a folds to acme.com").isFalse();
        assertThat(EmailAddress.parse("a@acme\u200b.com").valid()).as("zero-width space").isFalse();
        assertThat(EmailAddress.parse("a@acme.com\u0000").valid()).as("NUL").isFalse();
        assertThat(EmailAddress.parse("a@-acme.com").valid()).as("label starting with a hyphen").isFalse();
        assertThat(EmailAddress.parse("a@" + "x".repeat(64) + ".com").valid()).as("label over 63").isFalse();
        assertThat(EmailAddress.parse("a b@acme.com").valid()).isFalse();
    }

    @Test
    void explainsWhyAnAddressIsInvalid() {
        assertThat(EmailAddress.parse("jane").problem()).isEqualTo("the address has no @");
        assertThat(EmailAddress.parse("a@b@c.com").problem()).isEqualTo("the address has more than one @");
        assertThat(EmailAddress.parse("a@acme.com.").problem()).isEqualTo("the domain ends with a dot");
        assertThat(EmailAddress.parse(null).problem()).isEqualTo("the address is empty");
    }
}
