package org.scimgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What ModularityTest's table check reads of a Java source: its string literals, not its comments. */
class SqlLiteralsTest {

    @Test
    void findsStringsAndTextBlocksWithTheirLinesAndSkipsCommentsAndCharacters() {
        String source = """
                // SELECT * FROM in_a_line_comment
                /* SELECT * FROM in_a_block_comment
                   "not a string either" */
                char quote = '"';
                String one = "SELECT 1 FROM \\"quoted\\" t";
                String block = \"""
                        SELECT *
                        FROM siem_outbox
                        \""";
                """;
        assertThat(SqlLiterals.of(source)).containsExactly(
                new SqlLiterals.Literal(5, "SELECT 1 FROM \\\"quoted\\\" t"),
                new SqlLiterals.Literal(6, "\n        SELECT *\n        FROM siem_outbox\n        "));
    }

    @Test
    void readsTheTablesViewsAndFunctionsAMigrationCreates() {
        assertThat(SchemaObjects.created("""
                -- CREATE TABLE only_in_a_comment (x int);
                CREATE TABLE decision_audit (x int);
                CREATE UNLOGGED TABLE IF NOT EXISTS scratch (x int);
                CREATE OR REPLACE VIEW decisions AS SELECT 1;
                create function audit_seal(n integer) returns integer language sql as 'select 1';
                CREATE INDEX decision_audit_at ON decision_audit (x);
                """)).containsExactlyInAnyOrder("decision_audit", "scratch", "decisions", "audit_seal");
    }
}
