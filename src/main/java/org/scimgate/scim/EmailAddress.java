package org.scimgate.scim;

import java.net.IDN;
import java.util.Locale;

/**
 * An email address taken apart for policy checks. Parsing never throws: an address that cannot be
 * used is returned with {@link #valid()} false and a {@link #problem()} an administrator can read.
 *
 * <p>The domain is compared in its ASCII (punycode) form, lower-cased as RFC 5321 allows. Only
 * domains already in canonical form pass: a trailing dot, a second {@code @}, or Unicode that folds
 * into another domain (full-width letters, for example) make the address invalid, so a look-alike
 * can never match an allowed domain.
 */
public record EmailAddress(String localPart, String domain, boolean valid, String problem) {

    private static final int MAX_ADDRESS_LENGTH = 254;
    private static final int MAX_LABEL_LENGTH = 63;

    public static EmailAddress parse(String address) {
        if (address == null || address.isBlank()) {
            return invalid("the address is empty");
        }
        if (address.length() > MAX_ADDRESS_LENGTH) {
            return invalid("the address is longer than " + MAX_ADDRESS_LENGTH + " characters");
        }
        int at = address.indexOf('@');
        if (at < 0) {
            return invalid("the address has no @");
        }
        if (address.indexOf('@', at + 1) >= 0) {
            return invalid("the address has more than one @");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.isEmpty()) {
            return invalid("the address has nothing before the @");
        }
        if (containsWhitespaceOrControl(address)) {
            return invalid("the address contains spaces or control characters");
        }
        String problem = domainProblem(domain);
        if (problem != null) {
            return new EmailAddress(local, null, false, problem);
        }
        return new EmailAddress(local, asciiDomain(domain), true, null);
    }

    /** The canonical ASCII form of a domain, as allow-lists are compared; null if it has none. */
    public static String asciiDomain(String domain) {
        try {
            String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            // Canonical: already punycode, or Unicode that round-trips to itself. Unicode that folds
            // into something else (full-width letters, say) is not.
            boolean canonical = ascii.equalsIgnoreCase(domain)
                    || IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES).equalsIgnoreCase(domain);
            return canonical ? ascii : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String domainProblem(String domain) {
        if (domain.isEmpty()) {
            return "the address has no domain";
        }
        if (domain.endsWith(".")) {
            return "the domain ends with a dot";
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "the domain has an empty label";
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                return "a domain label is longer than " + MAX_LABEL_LENGTH + " characters";
            }
        }
        if (asciiDomain(domain) == null) {
            return "the domain is not a valid host name in canonical form";
        }
        return null;
    }

    private static boolean containsWhitespaceOrControl(String s) {
        return s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || Character.isSpaceChar(c));
    }

    private static EmailAddress invalid(String problem) {
        return new EmailAddress(null, null, false, problem);
    }
}
