package org.scimgate.console;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * How the templates write times and codes ({@code ${@consoleFormat.utc(t)}}): a time to the second in UTC (the
 * page's script adds the reader's local time beside it), and a code that may wrap after each underscore rather than
 * inside a word.
 */
@Component("consoleFormat")
class ConsoleFormat {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** An {@link Instant}, an {@link OffsetDateTime} or an ISO-8601 instant as text; anything else as it is. */
    public String utc(Object time) {
        Instant instant = instant(time);
        return instant == null ? String.valueOf(time) : UTC.format(instant);
    }

    /** The time for a {@code <time datetime>} attribute, to the second; empty when it is no time. */
    public String iso(Object time) {
        Instant instant = instant(time);
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The code, escaped, with a {@code <wbr>} after each underscore: {@code POLICY_<wbr>DEPARTMENT_<wbr>DENIED}. */
    public String breakable(String code) {
        return code == null ? "" : HtmlUtils.htmlEscape(code).replace("_", "_<wbr>");
    }

    private static Instant instant(Object time) {
        if (time instanceof Instant i) {
            return i;
        }
        if (time instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (time instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
