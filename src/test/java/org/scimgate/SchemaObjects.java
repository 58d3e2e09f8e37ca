package org.scimgate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The tables, views and functions the migrations in {@code db/migration} create, by name. */
final class SchemaObjects {

    static final Path MIGRATIONS = Path.of("db", "migration");

    private static final Pattern CREATED = Pattern.compile(
            "(?i)\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:UNLOGGED\\s+|TEMP(?:ORARY)?\\s+|MATERIALIZED\\s+)?"
                    + "(TABLE|VIEW|FUNCTION|PROCEDURE)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:public\\.)?\"?([a-z_][a-z0-9_]*)");

    private SchemaObjects() {
    }

    /** Every name a migration creates a table, view, function or procedure under. */
    static Set<String> created() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                names.addAll(created(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static Set<String> created(String sql) {
        Set<String> names = new TreeSet<>();
        Matcher m = CREATED.matcher(withoutComments(sql));
        while (m.find()) {
            names.add(m.group(2).toLowerCase());
        }
        return names;
    }

    /** SQL without its {@code --} comments (so a comment that says "CREATE TABLE" creates nothing). */
    private static String withoutComments(String sql) {
        return sql.replaceAll("--[^\\n]*", "");
    }
}
