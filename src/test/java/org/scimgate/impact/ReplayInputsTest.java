package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window, the overlay's file names and the sensitive-attribute warning, without a database. */
class ReplayInputsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void windowIsThirtyDaysBackFromNowUnlessToldOtherwise() {
        assertThat(ReplayWindow.of(null, null, null, clock).from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(ReplayWindow.of("12h", null, null, clock).from()).isEqualTo(Instant.parse("2026-11-30T12:00:00Z"));
        assertThat(ReplayWindow.of("PT90M", null, null, clock).from()).isEqualTo(Instant.parse("2026-11-30T22:30:00Z"));
        ReplayWindow dates = ReplayWindow.of(null, "2026-11-02", "2026-11-03T06:00:00Z", clock);
        assertThat(Duration.between(dates.from(), dates.to())).isEqualTo(Duration.ofHours(30));
    }

    @Test
    void windowRefusesWhatItCannotRead() {
        assertThatThrownBy(() -> ReplayWindow.of("soon", null, null, clock)).hasMessageContaining("30d");
        assertThatThrownBy(() -> ReplayWindow.of("-3d", null, null, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplayWindow.of("3d", "2026-11-01", null, clock)).hasMessageContaining("not both");
        assertThatThrownBy(() -> ReplayWindow.of(null, "2026-11-05", "2026-11-01", clock))
                .hasMessageContaining("start before");
        assertThatThrownBy(() -> ReplayWindow.of(null, "yesterday", null, clock)).hasMessageContaining("from");
    }

    @Test
    void overlayAcceptsRuleFilesInsideTheDirectoryOnly() {
        for (String ok : new String[] {"organization/organization.drl", "new/rule.drl", "org/table.drl.csv",
                "reference-data.yaml", "contractors/examples.yaml"}) {
            CandidateOverlay.check(ok);
        }
        for (String refused : new String[] {"../x.drl", "a/../../x.drl", "/tmp/x.drl", "C:/x.drl", "a\\x.drl",
                "a//x.drl", "./x.drl", ".git/x.drl", "x.java", "x.drl.xlsx", "nested/reference-data.yaml",
                "settings.yaml", "", "a/x.drl\n"}) {
            assertThatThrownBy(() -> CandidateOverlay.check(refused)).as(refused)
                    .isInstanceOf(CandidateOverlay.Refused.class);
        }
    }

    @Test
    void rulesReadingASensitiveAttributeAreReportedAsNotFaithful(@TempDir Path rules) throws Exception {
        Files.createDirectories(rules.resolve("hr"));
        Files.writeString(rules.resolve("hr/hr.drl"), "rule \"x\" when ScimUser( employeeNumber == null ) then end");
        Files.writeString(rules.resolve("names.drl"), "rule \"y\" when ScimUser( userName == null ) then end");

        ImpactReport.NotFaithful warning = SensitiveReads.find(rules, Set.of("password", "employeeNumber"));
        assertThat(warning.attributes()).containsExactly("employeeNumber");
        assertThat(warning.files()).containsExactly("hr/hr.drl");
        assertThat(SensitiveReads.find(rules, Set.of("password"))).isNull();
    }
}
