package org.scimgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which delivery ids count as a data-action template that did not render. The header is read
 * before the caller is authenticated, so telling must cost the length of the header, not its square.
 */
class DeliveryIdTemplateTest {

    @Test
    void anUnrenderedTemplateCountsAsNoIdAndAnythingElseIsTheId() {
        assertThat(DeliveryId.of("{{webhookId}}").key()).isNull();
        assertThat(DeliveryId.of("id-{{ input.id }}-x").key()).isNull();
        assertThat(DeliveryId.of("{{}}").key()).isNull();
        assertThat(DeliveryId.of("${input.id}").key()).isNull();
        assertThat(DeliveryId.of("a${}b").key()).isNull();
        assertThat(DeliveryId.of("{{\n}}").key()).isNull();
        assertThat(DeliveryId.of("{{}").key()).isEqualTo("{{}");
        assertThat(DeliveryId.of("{}}").key()).isEqualTo("{}}");
        assertThat(DeliveryId.of("}}{{").key()).isEqualTo("}}{{");
        assertThat(DeliveryId.of("${").key()).isEqualTo("${");
        assertThat(DeliveryId.of("}${").key()).isEqualTo("}${");
        assertThat(DeliveryId.of(" d-1 ").key()).isEqualTo("d-1");
    }

    /**
     * An unauthenticated caller chose these headers. Backtracking over an 8 KB header of "{{" took
     * about half a second of CPU per request; over these, minutes. The bound is a hang detector
     * with a margin of thousands, not a speed requirement.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHeaderOfManyOpeningBracesIsToldApartWithoutBacktracking() {
        assertThat(DeliveryId.of("{{".repeat(60_000)).key()).hasSize(120_000);
        assertThat(DeliveryId.of("${".repeat(60_000)).key()).hasSize(120_000);
        assertThat(DeliveryId.of("{".repeat(120_000)).key()).hasSize(120_000);
    }
}
