package org.scimgate.scim;

import java.text.Normalizer;
import java.util.List;

/**
 * The SCIM user as the policy sees it: an immutable fact, already normalised from the core schema,
 * the RFC 7643 enterprise extension and the tutorial's top-level fields. Genesys Cloud uses
 * {@code userName} as the account's login and main email ({@link #login()}), and maps the work
 * email from {@code emails[type eq "work"]} ({@link Email#work()}); it does not read {@code primary}.
 */
public record ScimUser(
        String id,
        String externalId,
        String userName,
        String displayName,
        List<Email> emails,
        String department,
        String costCenter,
        String division,
        String organization,
        String employeeNumber,
        Boolean active) {

    public ScimUser {
        emails = emails == null ? List.of() : List.copyOf(emails);
    }

    /** Whether userName holds NUL, control or invisible formatting characters (a spoofing or injection attempt). */
    public boolean userNameHasControlCharacters() {
        return userName != null && userName.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || c == 0x2028 || c == 0x2029);
    }

    /** userName taken apart as the address it is for Genesys: the account's login and main email. */
    public EmailAddress login() {
        return EmailAddress.parse(userName);
    }

    /**
     * Whether userName names a domain: it holds an {@code @}, or a character that folds into one
     * (a full-width or small commercial at). A login without one is a bare name, which has no
     * domain to judge and which Genesys does not take as a login.
     */
    public boolean loginNamesADomain() {
        return userName != null && userName.codePoints().anyMatch(c -> c == '@'
                || Normalizer.normalize(Character.toString(c), Normalizer.Form.NFKC).indexOf('@') >= 0);
    }

    public boolean hasUserName() {
        return userName != null && !userName.isBlank();
    }

    public int primaryEmailCount() {
        return (int) emails.stream().filter(Email::primary).count();
    }

    /** Whether some email marked primary has a value; the tutorial's "primary email" check. */
    public boolean hasPrimaryEmailValue() {
        return emails.stream().anyMatch(e -> e.primary() && e.hasValue());
    }
}
