package org.scimgate.policy;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.scimgate.scim.EmailAddress;

/**
 * A named list from the reference data, inserted as a fact so rules read lists instead of
 * spelling them out. {@code domains} holds the entries in the canonical ASCII form email domains
 * are compared in.
 */
public record ReferenceList(String name, Set<String> values, Set<String> domains) {

    public ReferenceList {
        Objects.requireNonNull(name, "name");
        values = Set.copyOf(values);
        domains = Set.copyOf(domains);
    }

    public static ReferenceList of(String name, Iterable<String> entries) {
        Set<String> values = new LinkedHashSet<>();
        Set<String> domains = new LinkedHashSet<>();
        for (String entry : entries) {
            values.add(entry);
            String domain = EmailAddress.asciiDomain(entry.trim());
            if (domain != null) {
                domains.add(domain);
            }
        }
        return new ReferenceList(name, values, domains);
    }
}
