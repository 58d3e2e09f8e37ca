package org.scimgate.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random gateway writes (POST, PUT and PATCH) that say the same things in every way SCIM allows and
 * some it does not: attribute names in any case, the core schema's object, flat URN-qualified keys,
 * the tutorial's top-level department, OneLogin's email object, members scimgate does not know,
 * values of the wrong type, and the same attribute named twice.
 */
final class JudgedWrites {

    static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    /** Marks what scimgate does not understand: none of it may reach Genesys. */
    static final String UNKNOWN = "x-unknown";

    /**
     * One write; {@code mustBeRefused} when it holds a value of the wrong type or names an attribute
     * twice, which no reader can judge as Genesys would read it.
     */
    record Write(String method, String path, String body, boolean mustBeRefused) {
        @Override
        public String toString() {
            return method + " " + path + " " + body;
        }
    }

    /** Compliant choices first: {@link Generated#pick} takes one of the first {@code COMPLIANT} most of the time. */
    private static final List<String> LOGINS = List.of("jane@acme.com", "Jane.Doe@ACME-Corp.com", "bare-name",
            "mallory@evil.com", "jane@acme.com@evil.com", "mallory\\uff20evil.com", "MALLORY@EVIL.COM");
    private static final List<String> ADDRESSES = List.of("jane@acme.com", "j@acme-corp.com", "J@ACME.COM",
            "m@evil.com", "not-an-address", "j@acme.com@evil.com");
    private static final List<String> DEPARTMENTS = List.of("Sales", "Engineering", "Finance", "Marketing", "sales");
    private static final List<String> COST_CENTERS = List.of("CC-2001", "CC-1234", "CC-4000", "bad");
    private static final int COMPLIANT = 3;

    private JudgedWrites() {
    }

    static Arbitrary<Write> writes() {
        return Arbitraries.longs().map(seed -> write(new Random(seed)));
    }

    private static Write write(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new Generated(random).patch();
            case 1 -> new Generated(random).user("PUT", "/Users/u-1");
            default -> new Generated(random).user("POST", "/Users");
        };
    }

    /** The state of one generated write. */
    private static final class Generated {
        private final Random random;
        private final List<String> top = new ArrayList<>();
        private final List<String> core = new ArrayList<>();
        private final List<String> enterprise = new ArrayList<>();
        private boolean mustBeRefused;

        Generated(Random random) {
            this.random = random;
        }

        Write user(String method, String path) {
            place("userName", quoted(pick(LOGINS)), true);
            place("emails", emails(), false);
            if (random.nextInt(4) > 0) {
                department("department", quoted(pick(DEPARTMENTS)));
            }
            if (random.nextBoolean()) {
                department("costCenter", quoted(pick(COST_CENTERS)));
            }
            if (random.nextBoolean()) {
                place("name", wrong(1, "\"x\"", "{\"givenName\":\"Jane\",\"" + UNKNOWN + "\":\"m@evil.com\"}"), false);
            }
            if (random.nextBoolean()) {
                place("active", wrong(1, "\"yes\"", random.nextBoolean() ? "true" : "false"), false);
            }
            if (random.nextInt(4) == 0) {
                place("title", wrong(1, "5", "\"Agent\""), false);
            }
            if (random.nextInt(4) == 0) {
                enterprise.add(pair("manager", wrong(1, "\"boss\"", "{\"value\":\"boss-1\"}")));
            }
            if (random.nextBoolean()) {
                top.add(pair("schemas", "[\"" + CORE + "\",\"urn:example:" + UNKNOWN + "\"]"));
            }
            unknownMembers();
            if (random.nextInt(12) == 0) { // the same attribute twice, in two of the ways SCIM names it
                mustBeRefused = true;
                place("userName", quoted("other@acme.com"), true);
            }
            if (!enterprise.isEmpty()) {
                top.add(pair(spell(ENTERPRISE), "{" + String.join(",", enterprise) + "}"));
            }
            if (!core.isEmpty()) {
                top.add(pair(spell(CORE), "{" + String.join(",", core) + "}"));
            }
            return new Write(method, path, "{" + String.join(",", top) + "}", mustBeRefused);
        }

        Write patch() {
            List<String> operations = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                String op = pick(List.of("add", "replace", "Replace"));
                String login = quoted(pick(LOGINS));
                String address = quoted(pick(ADDRESSES));
                String department = quoted(pick(DEPARTMENTS));
                operations.add(switch (random.nextInt(10)) {
                    case 0 -> operation(op, pick(List.of("userName", "USERNAME", CORE + ":userName")), login);
                    case 1 -> operation(op, "emails[type eq \\\"work\\\"].value", address);
                    case 2 -> operation("add", "emails", "[{\"value\":" + address + ",\"type\":\"work\"}]");
                    case 3 -> operation(op, ENTERPRISE + ":department", department);
                    case 4 -> operation(op, null, "{\"" + CORE + "\":{\"userName\":" + login + "}}");
                    case 5 -> operation(op, null, "{\"" + ENTERPRISE + ":department\":" + department + "}");
                    case 6 -> operation(op, "name", wrong(2, "\"x\"", "{\"givenName\":\"X\"}"));
                    case 7 -> operation(op, "active", wrong(2, "\"yes\"", "\"False\""));
                    case 8 -> operation("remove", "emails[type eq \\\"other\\\"]", null);
                    default -> operation(op, null, "{\"" + ENTERPRISE + "\":{\"department\":" + department + "}}");
                });
            }
            return new Write("PATCH", "/Users/u-1", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[" + String.join(",", operations) + "]}", mustBeRefused);
        }

        private String emails() {
            List<String> entries = new ArrayList<>();
            int count = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                List<String> members = new ArrayList<>();
                members.add(pair(spell("value"), quoted(pick(ADDRESSES))));
                String type = pick(List.of("work", "WORK", "other", "home", ""));
                if (!type.isEmpty()) {
                    members.add(pair(spell("type"), quoted(type)));
                }
                if (i == 0 ? random.nextInt(10) > 0 : random.nextInt(6) == 0) {
                    members.add(pair(spell("primary"), wrong(1, "\"maybe\"", "true")));
                }
                if (random.nextInt(4) == 0) {
                    members.add(pair(UNKNOWN, "\"m@evil.com\""));
                }
                entries.add("{" + String.join(",", members) + "}");
            }
            if (count == 1 && random.nextInt(4) == 0) {
                return entries.get(0); // OneLogin's single object
            }
            return "[" + String.join(",", entries) + "]";
        }

        /** An enterprise attribute: in its object, as a flat key, or as the tutorial's top-level field. */
        private void department(String name, String value) {
            switch (random.nextInt(4)) {
                case 0 -> enterprise.add(pair(spell(name), value));
                case 1 -> top.add(pair(spell(ENTERPRISE) + ":" + spell(name), value));
                case 2 -> core.add(pair(spell(name), value));
                default -> top.add(pair(spell(name), value));
            }
        }

        /** A core attribute: at the top, in the core schema's object, or as a flat core key ({@code flat}). */
        private void place(String name, String value, boolean flat) {
            switch (random.nextInt(flat ? 4 : 3)) {
                case 0 -> core.add(pair(spell(name), value));
                case 3 -> top.add(pair(spell(CORE) + ":" + spell(name), value));
                default -> top.add(pair(spell(name), value));
            }
        }

        private void unknownMembers() {
            if (random.nextBoolean()) {
                top.add(pair(UNKNOWN, "\"mallory@evil.com\""));
            }
            if (random.nextBoolean()) {
                top.add(pair("urn:example:" + UNKNOWN + ":2.0:User", "{\"userName\":\"mallory@evil.com\"}"));
            }
            if (random.nextBoolean()) {
                top.add(pair("urn:example:" + UNKNOWN + ":2.0:User:department", "\"Marketing\""));
            }
            if (random.nextBoolean()) {
                enterprise.add(pair(UNKNOWN, "\"Marketing\""));
            }
        }

        /** {@code bad} one time in {@code odds * 8}, marking the write as one to refuse; else {@code good}. */
        private String wrong(int odds, String bad, String good) {
            if (random.nextInt(odds * 8) == 0) {
                mustBeRefused = true;
                return bad;
            }
            return good;
        }

        private String spell(String name) {
            return switch (random.nextInt(6)) {
                case 0 -> name.toUpperCase(Locale.ROOT);
                case 1 -> name.toLowerCase(Locale.ROOT);
                default -> name;
            };
        }

        /** One of the first {@link #COMPLIANT} choices seven times in eight, else any. */
        private String pick(List<String> choices) {
            return choices.get(random.nextInt(random.nextInt(8) > 0 ? COMPLIANT : choices.size()));
        }

        private static String operation(String op, String path, String value) {
            return "{\"op\":\"" + op + "\"" + (path == null ? "" : ",\"path\":\"" + path + "\"")
                    + (value == null ? "" : ",\"value\":" + value) + "}";
        }

        private static String pair(String key, String value) {
            return "\"" + key + "\":" + value;
        }

        private static String quoted(String text) {
            return "\"" + text + "\"";
        }
    }
}
