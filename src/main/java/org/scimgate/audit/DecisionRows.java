package org.scimgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one list of {@code decision_audit} columns the decision log writes: it makes the INSERT and
 * the arrays bound to it, so the two cannot disagree. A group of decisions is inserted with one
 * statement, one array per column ({@code unnest}).
 */
final class DecisionRows {

    /** A decision with its JSON columns already serialised, outside the transaction. */
    record Row(DecisionRecord decision, String violations, String firedRules, String payload, String shadowCodes,
               String payloadText, String payloadExact) {
    }

    private record Column(String name, String arrayType, String cast, Function<Row, Object> value) {

        static Column text(String name, Function<DecisionRecord, String> value) {
            return new Column(name, "text", null, row -> DatabaseText.clean(value.apply(row.decision())));
        }
    }

    private static final int REQUEST_ID_LENGTH = 200;

    private static final List<Column> COLUMNS = List.of(
            new Column("decision_id", "uuid", null, row -> row.decision().decisionId().toString()),
            new Column("received_at", "timestamptz", null, row -> row.decision().receivedAt().toString()),
            Column.text("source", DecisionRecord::source),
            Column.text("event_type", DecisionRecord::eventType),
            Column.text("event_timestamp", DecisionRecord::eventTimestamp),
            Column.text("delivery_id", DecisionRecord::deliveryId),
            Column.text("idempotency_key", DecisionRecord::idempotencyKey),
            Column.text("body_sha256", DecisionRecord::bodySha256),
            Column.text("scim_user_id", DecisionRecord::scimUserId),
            Column.text("user_name", DecisionRecord::userName),
            Column.text("outcome", DecisionRecord::outcome),
            new Column("http_status", "int", null, row -> row.decision().httpStatus()),
            new Column("violations", "text", "jsonb", Row::violations),
            new Column("fired_rules", "text", "jsonb", Row::firedRules),
            Column.text("ruleset_version", DecisionRecord::rulesetVersion),
            Column.text("request_id", d -> truncate(d.requestId())),
            Column.text("detail", DecisionRecord::detail),
            new Column("payload", "text", "jsonb", Row::payload),
            Column.text("response_body", DecisionRecord::responseBody),
            Column.text("operation", DecisionRecord::operation),
            new Column("upstream_status", "int", null, row -> row.decision().upstreamStatus()),
            Column.text("shadow_outcome", d -> d.shadow() == null ? null : d.shadow().outcome()),
            Column.text("shadow_ruleset_version", d -> d.shadow() == null ? null : d.shadow().rulesetVersion()),
            new Column("shadow_codes", "text", "jsonb", Row::shadowCodes),
            new Column("payload_text", "text", null, Row::payloadText),
            new Column("payload_exact", "text", "boolean", Row::payloadExact));

    static final String INSERT = "INSERT INTO decision_audit ("
            + COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")) + ")\nSELECT "
            + COLUMNS.stream().map(c -> c.cast() == null ? c.name() : "CAST(" + c.name() + " AS " + c.cast() + ")")
                    .collect(Collectors.joining(", "))
            + "\nFROM unnest("
            + COLUMNS.stream().map(c -> "CAST(? AS " + c.arrayType() + "[])").collect(Collectors.joining(", "))
            + ")\n  AS d(" + COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")) + ")"
            + "\nON CONFLICT (idempotency_key) DO NOTHING\nRETURNING decision_id";

    private final ObjectMapper json;

    DecisionRows(ObjectMapper json) {
        this.json = json;
    }

    /** Serialises the JSON columns; throws for a decision that cannot be written at all. */
    Row prepare(DecisionRecord d) {
        JsonNode payload = d.payload();
        boolean jsonbHolds = DatabaseText.jsonbHolds(payload);
        return new Row(d, write(d.violations()), write(d.firedRules()),
                payload == null ? null : write(jsonbHolds ? payload : DatabaseText.jsonbCopy(payload)),
                d.shadow() == null ? null : write(d.shadow().codes()),
                payload != null && (!jsonbHolds || DatabaseText.needsCleaning(payload)) ? escaped(payload) : null,
                payload == null ? null : Boolean.toString(DatabaseText.numbersExact(payload)));
    }

    /** The payload as JSON text that any text column holds exactly: every character outside ASCII escaped. */
    private String escaped(JsonNode payload) {
        try {
            return json.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the payload", e);
        }
    }

    /** One array per column, in the order of {@link #INSERT}'s parameters. */
    static Object[] arrays(List<Row> rows) {
        Object[] arrays = new Object[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            Column column = COLUMNS.get(c);
            Object[] values = "int".equals(column.arrayType()) ? new Integer[rows.size()] : new String[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                values[r] = column.value().apply(rows.get(r));
            }
            arrays[c] = values;
        }
        return arrays;
    }

    private static String truncate(String requestId) {
        return requestId == null || requestId.length() <= REQUEST_ID_LENGTH
                ? requestId : requestId.substring(0, REQUEST_ID_LENGTH);
    }

    /** JSON for a jsonb column; only a value that holds a NUL, which jsonb refuses, is copied to clean it. */
    private String write(Object value) {
        try {
            String text = json.writeValueAsString(value);
            return text.contains("\\u0000") || DatabaseText.needsCleaning(text)
                    ? json.writeValueAsString(DatabaseText.clean((JsonNode) json.valueToTree(value))) : text;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise an audit field", e);
        }
    }
}
