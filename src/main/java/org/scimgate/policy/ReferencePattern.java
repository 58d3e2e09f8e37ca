package org.scimgate.policy;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * A named regular expression from the reference data, compiled once when the ruleset loads. It
 * runs on RE2/J, in time linear in the input: no pattern an analyst writes can make a request hang
 * (RE2 syntax: no backreferences or lookaround).
 */
public record ReferencePattern(String name, String regex, Pattern pattern) {

    public ReferencePattern {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
    }

    public static ReferencePattern of(String name, String regex) {
        return new ReferencePattern(name, regex, Pattern.compile(regex));
    }

    /** Whether the value contains a match of the pattern, as JavaScript's {@code RegExp.test} does. */
    public boolean allows(String value) {
        return value != null && pattern.matcher(value).find();
    }
}
