package org.scimgate.scim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * How a payload is read so that its numbers are kept as written: a number with a fraction or an
 * exponent is a {@link java.math.BigDecimal} with the digits and scale it was written with (no
 * trailing zero stripped), an integer beyond a long a {@link java.math.BigInteger}; never a double,
 * which would make {@code 1e999999999} infinity and round
 * {@code 123456789012345678901234567890.000000000000000000001}. The mapper's own limits (the length
 * of a number among them) still hold.
 * <p>
 * Such a number may be huge ({@code 1E+999999999}): it is only ever written in scientific form
 * ({@code toString}), compared or described, never spelt out in full ({@code toPlainString}) nor
 * converted to an integer, which would take a billion digits.
 */
public final class ExactJson {

    private ExactJson() {
    }

    /** A reader of {@code mapper}'s that keeps every number as written. */
    public static ObjectReader reader(ObjectMapper mapper) {
        return mapper.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }
}
