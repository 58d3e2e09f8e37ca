package org.scimgate.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named API keys of {@code SCIMGATE_API_KEYS_FILE}: one {@code name role key} line per person
 * (roles {@code analyst} or {@code operator}; {@code #} starts a comment). The file is read at
 * start-up, where anything wrong with it stops the service, and again whenever it changes. A
 * changed file that cannot be read keeps the keys read before; a file that has become readable by
 * other local users is refused outright, so none of its keys is accepted until it is fixed.
 */
final class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Set<PosixFilePermission> SHARED = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** One person and the key that acts as them. */
    record NamedKey(String name, String role, String key) {
        NamedKey {
            Objects.requireNonNull(name);
            Objects.requireNonNull(role);
            Objects.requireNonNull(key);
        }
    }

    /** A keys file other local users may read: its keys are known beyond their owners. */
    private static final class SharedFile extends WeakSecret {
        SharedFile(String which, String weakness, String fix) {
            super(which, weakness, fix);
        }
    }

    private record Stamp(Object fileKey, long modified, long size) {
    }

    private final Path file;
    private volatile List<NamedKey> keys;
    private volatile Stamp stamp;

    private ApiKeys(Path file, List<NamedKey> keys, Stamp stamp) {
        this.file = file;
        this.keys = keys;
        this.stamp = stamp;
    }

    /** No keys file: only the single analyst and operator keys. */
    static ApiKeys none() {
        return new ApiKeys(null, List.of(), null);
    }

    /** Reads {@code file}; anything wrong with it stops start-up with what to change. */
    static ApiKeys read(Path file) {
        try {
            Stamp stamp = stamp(file);
            return new ApiKeys(file, parse(file), stamp);
        } catch (IOException e) {
            throw new WeakSecret("SCIMGATE_API_KEYS_FILE " + file, "cannot be read (" + e.getMessage() + ")",
                    "Point SCIMGATE_API_KEYS_FILE at a readable file of 'name role key' lines, or unset it.");
        }
    }

    /** The person {@code presented} acts as, or null; re-reads the file first when it has changed. */
    NamedKey find(String presented) {
        refreshIfChanged();
        for (NamedKey named : keys) {
            if (Credentials.matches(presented, named.key())) {
                return named;
            }
        }
        return null;
    }

    List<NamedKey> keys() {
        refreshIfChanged();
        return keys;
    }

    private void refreshIfChanged() {
        if (file == null) {
            return;
        }
        Stamp now;
        try {
            now = stamp(file);
        } catch (IOException e) {
            now = null;
        }
        if (Objects.equals(now, stamp)) {
            return;
        }
        synchronized (this) {
            if (Objects.equals(now, stamp)) {
                return;
            }
            stamp = now;
            try {
                keys = parse(file);
                LOG.info("Read {} named API keys from {}", keys.size(), file);
            } catch (IOException e) {
                LOG.error("Cannot read the changed API keys file {} ({}); the keys read before stay", file, e.getMessage());
            } catch (SharedFile e) {
                keys = List.of();
                LOG.error("{}; no key in it is accepted until it is fixed. {}", e.getMessage(), e.fix());
            } catch (WeakSecret e) {
                LOG.error("The changed API keys file is refused: {}; the keys read before stay. {}", e.getMessage(), e.fix());
            }
        }
    }

    private static Stamp stamp(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
    }

    static List<NamedKey> parse(Path file) throws IOException {
        String variable = "SCIMGATE_API_KEYS_FILE " + file;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(SHARED::contains)) {
                throw new SharedFile(variable, "is readable by other local users ("
                        + PosixFilePermissions.toString(permissions) + ")", "Restrict it with: chmod 600 " + file);
            }
        }
        List<NamedKey> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = variable + " line " + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new WeakSecret(where, "is not 'name role key'", "Write one 'name role key' line per person.");
            }
            String name = parts[0];
            String role = parts[1];
            String key = parts[2];
            if (!NAME.matcher(name).matches()) {
                throw new WeakSecret(where, "names no one: '" + name + "' is not a name",
                        "Use letters, digits and . _ @ - (at most 64), starting with a letter or digit.");
            }
            if (!role.equals(SecurityConfiguration.ANALYST) && !role.equals(SecurityConfiguration.OPERATOR)) {
                throw new WeakSecret(where, "gives " + name + " the role '" + role + "'", "The role is analyst or operator.");
            }
            SecretStrength.weakness(key).ifPresent(weakness -> {
                throw new WeakSecret(where, "gives " + name + " a key that " + weakness, "Give " + name
                        + " a key of at least " + SecretStrength.MINIMUM_LENGTH + " characters, for example from '"
                        + SecretStrength.HOW_TO_GENERATE + "'.");
            });
            if (!names.add(name)) {
                throw new WeakSecret(where, "names " + name + " a second time", "Give each person one line.");
            }
            if (!secrets.add(key)) {
                throw new WeakSecret(where, "gives " + name + " another person's key", "Give each person a key of their own.");
            }
            keys.add(new NamedKey(name, role, key));
        }
        return List.copyOf(keys);
    }
}
