package org.scimgate.ops;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestService;
import org.scimgate.support.TestPostgres;

/** Bad configuration stops start-up with a message that says what to change. */
class StartupChecksTest {

    private static TestPostgres.Database database;

    @BeforeAll
    static void database() {
        database = TestPostgres.newDatabase();
    }

    private static void start(String... settings) {
        TestService.start(database, settings).close();
    }

    @Test
    void refusesAGenesysRegionThatIsNotADomain() {
        assertThatThrownBy(() -> start("--scimgate.genesys.region=us"))
                .rootCause().hasMessageContaining("GENESYS_REGION must be the Genesys Cloud domain of your org, "
                        + "such as mypurecloud.com, mypurecloud.ie or usw2.pure.cloud, not 'us'");
    }

    @Test
    void refusesARulesDirectoryThatCannotBeRead() {
        assertThatThrownBy(() -> start("--scimgate.policy.rules-dir=/nonexistent/rules"))
                .rootCause().hasMessageContaining("the rules directory does not exist or is not a directory; set SCIMGATE_RULES_DIR");
    }

    @Test
    void refusesAnHttpSiemFormatWithoutAnEndpoint() {
        assertThatThrownBy(() -> start("--scimgate.siem.format=splunk-hec"))
                .rootCause().hasMessageContaining("SIEM_FORMAT=splunk-hec sends over HTTP and needs SIEM_ENDPOINT");
    }
}
