package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Where the chain stands, read as the application role, as the console shows it. */
class ChainStatusTest {

    private final ChainDatabase db = ChainDatabase.create();
    private final DataSource app = db.app();
    private final ChainStatus status = new ChainStatus(JdbcClient.create(app));
    private final AuditChain chain = ChainDatabase.chain(app);

    @Test
    void showsTheHeadTheLastCheckpointWhatWaitsAndEachDecisionsPosition() {
        assertThat(status.head()).as("no link before the first seal").isEmpty();
        assertThat(status.lastCheckpoint()).isEmpty();
        JdbcTemplate sql = new JdbcTemplate(app);
        UUID first = ChainDatabase.insertDecision(sql, "first@acme.com");
        UUID second = ChainDatabase.insertDecision(sql, "second@acme.com");
        assertThat(status.unsealed()).isEqualTo(2);
        assertThat(status.position(first)).as("not sealed yet").isEmpty();

        assertThat(chain.seal(1000)).isEqualTo(2);
        assertThat(status.unsealed()).isZero();
        AuditChain.Head head = chain.head().orElseThrow();
        assertThat(status.head()).hasValueSatisfying(mark -> {
            assertThat(mark.position()).isEqualTo(head.position());
            assertThat(mark.hash()).isEqualTo(head.hash());
        });
        assertThat(status.position(first)).isNotEqualTo(status.position(second));
        assertThat(status.position(first).orElseThrow()).isBetween(head.position() - 1, head.position());
        assertThat(status.position(UUID.randomUUID())).as("no such decision").isEmpty();

        chain.checkpointExported(head);
        assertThat(status.lastCheckpoint()).hasValueSatisfying(mark -> assertThat(mark.position())
                .isEqualTo(head.position()));
    }
}
