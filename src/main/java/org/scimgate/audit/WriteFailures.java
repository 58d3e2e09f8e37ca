package org.scimgate.audit;

import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Sorts a failed write by its SQLSTATE: a group is retried whole only when the connection or the
 * transaction failed (a retry can succeed), split row by row when a row's data was refused (the
 * other rows are fine), and failed otherwise.
 */
final class WriteFailures {

    enum Kind { CONNECTION, DATA, OTHER }

    private static final Pattern INDEX = Pattern.compile("index \"([a-z0-9_]+)\"");
    /** Columns, indexes and constraints of decision_audit, by the request field they hold. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("user_name", "userName"), Map.entry("decision_audit_user_name", "userName"),
            Map.entry("delivery_id", "x-genesys-webhook-id"), Map.entry("idempotency_key", "x-genesys-webhook-id"),
            Map.entry("decision_audit_idempotency_key_key", "x-genesys-webhook-id"),
            Map.entry("scim_user_id", "id"), Map.entry("event_type", "eventType"),
            Map.entry("event_timestamp", "eventTimestamp"), Map.entry("payload", "the request body"),
            Map.entry("request_id", "X-Request-ID"));

    private WriteFailures() {
    }

    static Kind kind(Throwable failure) {
        String state = sqlState(failure);
        if (state == null) {
            // No SQLSTATE: the pool could not hand out a connection, or the transaction could not begin.
            return failure instanceof org.springframework.dao.DataAccessException
                    || failure instanceof org.springframework.transaction.TransactionException ? Kind.CONNECTION : Kind.OTHER;
        }
        if (state.startsWith("08") || state.startsWith("57P0") || state.equals("40001") || state.equals("40P01")) {
            return Kind.CONNECTION;
        }
        if (state.startsWith("22") || state.startsWith("23") || state.startsWith("54")) {
            return Kind.DATA;
        }
        return Kind.OTHER;
    }

    /** The request field whose value PostgreSQL refused, as far as the error tells. */
    static UnstorableDecision unstorable(Throwable failure) {
        String field = "the request";
        String reason = "refused by the database (SQLSTATE " + sqlState(failure) + ")";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                ServerErrorMessage message = psql.getServerErrorMessage();
                field = firstKnown(message.getColumn(), message.getConstraint(), indexIn(message.getMessage()), field);
                reason = message.getMessage() == null ? reason : shorten(message.getMessage());
                break;
            }
        }
        return new UnstorableDecision(field, reason);
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static String indexIn(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = INDEX.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    private static String firstKnown(String column, String constraint, String index, String fallback) {
        for (String name : new String[] {column, constraint, index}) {
            if (name != null && FIELDS.containsKey(name)) {
                return FIELDS.get(name);
            }
        }
        return fallback;
    }

    /** PostgreSQL's message (it names the column or index, not the refused value), cut to a readable length. */
    private static String shorten(String message) {
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
