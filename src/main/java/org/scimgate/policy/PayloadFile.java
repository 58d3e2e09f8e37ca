package org.scimgate.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON payload {@code rules eval} judges, from a file or standard input, with a reason when it cannot be read. */
final class PayloadFile {

    /** The payload could not be read or is not JSON; the message says which file and why. */
    static final class Unreadable extends Exception {

        Unreadable(String message) {
            super(message);
        }
    }

    private PayloadFile() {
    }

    /** Reads {@code name} ({@code -} is standard input) as one JSON document. */
    static JsonNode read(String name, InputStream stdin, ObjectMapper json) throws Unreadable {
        boolean standardInput = "-".equals(name);
        String shown = standardInput ? "standard input" : name;
        byte[] bytes;
        try {
            bytes = standardInput ? stdin.readAllBytes() : Files.readAllBytes(existing(name));
        } catch (AccessDeniedException e) {
            throw new Unreadable("Cannot read " + shown + ": permission denied");
        } catch (IOException e) {
            throw new Unreadable("Cannot read " + shown + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new Unreadable(shown + " is not JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Unreadable("Cannot read " + shown + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new Unreadable(shown + " is empty: expected a SCIM user or a webhook envelope as JSON");
        }
        return root;
    }

    private static Path existing(String name) throws Unreadable {
        Path file = Path.of(name);
        if (Files.isDirectory(file)) {
            throw new Unreadable("Cannot read " + name + ": it is a directory, not a JSON file");
        }
        if (!Files.exists(file)) {
            throw new Unreadable("Cannot read " + name + ": no such file"
                    + (file.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")"));
        }
        if (!Files.isReadable(file)) {
            throw new Unreadable("Cannot read " + name + ": permission denied");
        }
        return file;
    }
}
