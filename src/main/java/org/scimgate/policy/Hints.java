package org.scimgate.policy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to write instead, for the mistakes analysts make most: a JavaBean getter on a fact, which is
 * a record ({@code $u.getUserName()} where the accessor is {@code userName()}), a misspelt fact
 * type, and a field the fact does not have. Null when the message is none of these.
 */
final class Hints {

    private static final Pattern GETTER = Pattern.compile("(?:get|is)([A-Z]\\w*)");
    private static final Pattern TYPE_IN_MESSAGE = Pattern.compile("(?:for the type|on class|in the type) ([\\w.$]+)");
    private static final Pattern UNKNOWN_TYPE = Pattern.compile(
            "Unable to find class: ([\\w.$]+)|([\\w.$]+) cannot be resolved to a type|Unknown class ([\\w.$]+)");
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("Unable to parse left part of expression: ([\\w$]+)"
            + "|Unknown property:? '?([\\w$]+)|([\\w$]+) cannot be resolved(?! to a type)");
    private static final Pattern PATTERN_TYPE = Pattern.compile("([\\w.$]+)\\s*$");

    private Hints() {
    }

    /** The hint for a message about {@code token}, found at {@code offset} of the file (-1 when not found). */
    static String of(String message, String token, DrlText drl, int offset) {
        Matcher getter = token == null ? null : GETTER.matcher(token);
        if (getter != null && getter.matches() && !message.contains("cannot be resolved to a type")) {
            Matcher type = TYPE_IN_MESSAGE.matcher(message);
            Class<?> fact = type.find() ? resolve(type.group(1), drl) : patternType(drl, offset);
            String accessor = Character.toLowerCase(getter.group(1).charAt(0)) + getter.group(1).substring(1);
            if (fact == null || accessorOf(fact, accessor)) {
                String of = fact == null ? "the facts are records" : fact.getSimpleName() + " is a record";
                return of + ": its accessors have no \"get\". Write " + accessor + "() in a consequence and "
                        + accessor + " in a constraint, not " + token + "().";
            }
        }
        Matcher unknownType = UNKNOWN_TYPE.matcher(message);
        if (unknownType.find()) {
            String name = first(unknownType);
            Set<String> known = new TreeSet<>(drl.imports().keySet());
            drl.blocks().stream().filter(b -> b.kind().equals("declare")).forEach(b -> known.add(b.name()));
            String near = nearest(name.substring(name.lastIndexOf('.') + 1), known);
            return (near == null ? "no type of that name is imported or declared" : "did you mean " + near + "?")
                    + " The types this file can use: " + String.join(", ", known) + ".";
        }
        Matcher unknownField = UNKNOWN_FIELD.matcher(message);
        if (unknownField.find()) {
            Class<?> fact = patternType(drl, offset);
            if (fact != null) {
                Set<String> fields = fields(fact);
                String name = first(unknownField);
                if (!fields.contains(name)) {
                    String near = nearest(name, fields);
                    Set<String> shown = fact.isRecord() ? components(fact) : fields;
                    return fact.getSimpleName() + " has no " + name + (near == null ? "" : "; did you mean " + near + "?")
                            + " Its fields: " + String.join(", ", shown) + ".";
                }
            }
        }
        return null;
    }

    private static String first(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
                return m.group(g);
            }
        }
        return "";
    }

    /** The fact type of the pattern whose parentheses hold the offset: {@code ScimUser} in {@code ScimUser( x == 1 )}. */
    private static Class<?> patternType(DrlText drl, int offset) {
        if (offset < 0) {
            return null;
        }
        String code = drl.code();
        int depth = 0;
        for (int i = Math.min(offset, code.length()) - 1; i >= 0; i--) {
            char c = code.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && depth-- == 0) {
                Matcher type = PATTERN_TYPE.matcher(code.substring(Math.max(0, i - 200), i));
                return type.find() ? resolve(type.group(1), drl) : null;
            }
        }
        return null;
    }

    private static Class<?> resolve(String name, DrlText drl) {
        String type = drl.imports().getOrDefault(name, name);
        try {
            return Class.forName(type, false, Hints.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean accessorOf(Class<?> type, String name) {
        return fields(type).contains(name);
    }

    private static Set<String> components(Class<?> record) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (var component : record.getRecordComponents()) {
            names.add(component.getName());
        }
        return names;
    }

    /** What a constraint may name on the type: its record components and public no-argument methods. */
    private static Set<String> fields(Class<?> type) {
        Set<String> names = new TreeSet<>();
        if (type.isRecord()) {
            for (var component : type.getRecordComponents()) {
                names.add(component.getName());
            }
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && m.getReturnType() != void.class && !Modifier.isStatic(m.getModifiers())
                    && m.getDeclaringClass() != Object.class && !m.getName().equals("hashCode")
                    && !m.getName().equals("toString")) {
                names.add(m.getName());
            }
        }
        return names;
    }

    /** The known name nearest to {@code name}: equal but for case, or at most a third of its letters apart. */
    static String nearest(String name, Collection<String> known) {
        return known.stream()
                .filter(k -> k.equalsIgnoreCase(name) || distance(k.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))
                        <= Math.max(2, name.length() / 3) || k.startsWith(name) || name.startsWith(k))
                .min(Comparator.comparingInt((String k) -> distance(k.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .orElse(null);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
