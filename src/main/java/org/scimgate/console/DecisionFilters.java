package org.scimgate.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scimgate.audit.DecisionQuery;

/**
 * The Decisions page's filters as they arrive in its URL, checked: the user (any part of the name, any case), an
 * outcome, a violation code, a window in UTC written {@value #TIME_FORMAT} (seconds and the time optional), and the
 * page's cursor. They travel with the links to a decision and back, so the reader returns to the list they left.
 */
record DecisionFilters(String user, String outcome, String code, String from, String to, Long cursor) {

    static final String TIME_FORMAT = "YYYY-MM-DD HH:MM";
    private static final Pattern TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2}(?::\\d{2})?))?(?:\\s*(?:Z|UTC))?");

    static final DecisionFilters NONE = new DecisionFilters(null, null, null, null, null, null);

    /** The parameters as given; blank ones are absent, and a bad one is refused with what it takes. */
    static DecisionFilters of(String user, String outcome, String code, String from, String to, String cursor) {
        String chosenOutcome = blankToNull(outcome);
        if (chosenOutcome != null && !ConsoleController.outcomes().contains(chosenOutcome)) {
            throw new BadParameter("There is no outcome '" + chosenOutcome + "'; the outcomes are "
                    + String.join(", ", ConsoleController.outcomes()) + ".");
        }
        DecisionFilters filters = new DecisionFilters(blankToNull(user), chosenOutcome, blankToNull(code),
                blankToNull(from), blankToNull(to), cursor(blankToNull(cursor)));
        filters.fromInstant();
        filters.toInstant();
        return filters;
    }

    Instant fromInstant() {
        return time("From", from);
    }

    Instant toInstant() {
        return time("Before", to);
    }

    DecisionQuery.Filter query(int limit) {
        return new DecisionQuery.Filter(user, outcome, code, fromInstant(), toInstant(), cursor, limit);
    }

    /** The filters as a query string ({@code ?user=…}), the cursor left out; empty when there are none. */
    public String asQuery() {
        return asQuery(false);
    }

    /** The same with the cursor: the way back to this very page. */
    public String asQueryWithCursor() {
        return asQuery(true);
    }

    public boolean any() {
        return !asQuery().isEmpty();
    }

    private String asQuery(boolean withCursor) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", user);
        params.put("outcome", outcome);
        params.put("code", code);
        params.put("from", from);
        params.put("to", to);
        if (withCursor && cursor != null) {
            params.put("cursor", cursor.toString());
        }
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> {
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    private static Instant time(String field, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = TIME.matcher(text.strip());
        try {
            if (m.matches()) {
                LocalTime time = m.group(2) == null ? LocalTime.MIDNIGHT : LocalTime.parse(m.group(2));
                return LocalDate.parse(m.group(1)).atTime(time).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            // no such day or time: refused below
        }
        throw new BadParameter(field + " '" + text + "' is not a time in UTC written " + TIME_FORMAT
                + " (for example 2026-12-01 08:30, or just 2026-12-01).");
    }

    private static Long cursor(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            throw new BadParameter("The page cursor '" + text + "' is not one this page gave out; start again from "
                    + "the newest decisions.");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
