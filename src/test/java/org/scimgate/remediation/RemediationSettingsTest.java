package org.scimgate.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemediationSettingsTest {

    private static RemediationSettings withMode(String mode, int maxPerHour) {
        return new RemediationSettings(mode, maxPerHour, 10, Duration.ofSeconds(5), Duration.ofSeconds(60), 12,
                Duration.ofSeconds(30), Duration.ofHours(1), true);
    }

    @Test
    void anUnsetModeIsADryRun() {
        assertThat(withMode(null, 20).relayMode()).isEqualTo(RemediationSettings.Mode.DRYRUN);
        assertThat(withMode(" ", 20).relayMode()).isEqualTo(RemediationSettings.Mode.DRYRUN);
        assertThat(withMode("ON", 20).relayMode()).isEqualTo(RemediationSettings.Mode.ON);
    }

    @Test
    void anUnknownModeOrANegativeCapStopsTheStartSayingWhatToSet() {
        assertThatThrownBy(() -> withMode("yes", 20)).hasMessageContaining("SCIMGATE_REMEDIATION_MODE must be off, dryrun or on");
        assertThatThrownBy(() -> withMode("on", -1)).hasMessageContaining("SCIMGATE_REMEDIATION_MAX_PER_HOUR");
    }
}
