package org.scimgate.security;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What makes a secret unusable: empty, shorter than {@link #MINIMUM_LENGTH} characters, or a
 * placeholder a template or tutorial ships with ({@code .env.example}'s {@code change-me-…},
 * {@code changeme}, {@code password}, …). Generated secrets are 43 characters (256 random bits).
 */
final class SecretStrength {

    /** 16 characters: 128 bits when random; also the least an operator-chosen secret may have. */
    static final int MINIMUM_LENGTH = 16;
    static final String HOW_TO_GENERATE = "openssl rand -base64 32";

    /** Placeholders, compared lower-case with everything but letters and digits removed. */
    private static final Set<String> PLACEHOLDERS = Set.of("changeme", "changeit", "replaceme", "password", "secret",
            "token", "apikey", "admin", "default", "example", "placeholder", "todo", "test", "ci", "none", "null",
            "unused", "letmein", "qwerty");
    private static final Set<String> PLACEHOLDER_PARTS = Set.of("changeme", "replaceme", "changeit", "placeholder",
            "yoursecret", "yourtoken", "yourkey", "insertyour", "putyour");

    private SecretStrength() {
    }

    /** Why {@code value} is not a usable secret, or empty when it is. */
    static Optional<String> weakness(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("is empty");
        }
        String trimmed = value.strip();
        if (isPlaceholder(trimmed)) {
            return Optional.of("is a placeholder, not a secret");
        }
        if (trimmed.codePointCount(0, trimmed.length()) < MINIMUM_LENGTH) {
            return Optional.of("is " + trimmed.codePointCount(0, trimmed.length())
                    + " characters long; a secret needs at least " + MINIMUM_LENGTH);
        }
        if (trimmed.chars().distinct().count() == 1) {
            return Optional.of("repeats a single character");
        }
        return Optional.empty();
    }

    /** Whether {@code value} is a placeholder, whatever its length. */
    static boolean isPlaceholder(String value) {
        String folded = fold(value);
        return PLACEHOLDERS.contains(folded) || folded.startsWith("xxx") || isTemplatePlaceholder(value);
    }

    /** Whether {@code value} is left from a template: {@code change-me-…}, {@code <your token>}, … */
    static boolean isTemplatePlaceholder(String value) {
        String folded = fold(value);
        return PLACEHOLDER_PARTS.stream().anyMatch(folded::contains) || value.strip().startsWith("<");
    }

    private static String fold(String value) {
        return value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
