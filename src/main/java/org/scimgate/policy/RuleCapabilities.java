package org.scimgate.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the code of a ruleset may touch: the types and members its compiled classes may reference.
 * Entries are a type ({@code java.util.HashMap}), every type of one package ({@code java.time.*}),
 * of a package and its sub-packages ({@code java.time.**}), or a single member
 * ({@code java.lang.System#arraycopy}). A member of an allowed type is allowed unless it is one of
 * the few {@link #DENIED_MEMBERS} that would leak what the type otherwise hides (its class, system
 * properties, a backtracking regular expression, a thread of its own); an explicit member entry
 * allows even those. The defaults are the facts and results of the policy, Java values, strings,
 * collections, streams and time; the operator adds more with {@code scimgate.policy.allowed-types}.
 */
public record RuleCapabilities(List<String> extraEntries, Set<String> entries) {

    /** Java and scimgate types a rule may use. */
    static final List<String> DEFAULT_ENTRIES = List.of(
            // the facts and results of the policy
            "org.scimgate.scim.ScimUser", "org.scimgate.scim.Email", "org.scimgate.scim.EmailAddress",
            "org.scimgate.policy.Violation", "org.scimgate.policy.ReferenceList", "org.scimgate.policy.ReferencePattern",
            "org.scimgate.policy.Membership", "org.scimgate.policy.GroupConflict",
            "com.google.re2j.Pattern", "com.google.re2j.Matcher",
            // values and strings
            "java.lang.Object", "java.lang.String", "java.lang.StringBuilder", "java.lang.CharSequence",
            "java.lang.Character", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Integer",
            "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number", "java.lang.Math",
            "java.lang.StrictMath", "java.lang.Comparable", "java.lang.Iterable", "java.lang.Enum", "java.lang.Void",
            "java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException",
            "java.lang.IllegalArgumentException", "java.lang.IllegalStateException", "java.lang.NullPointerException",
            "java.lang.ArithmeticException", "java.lang.NumberFormatException", "java.lang.IndexOutOfBoundsException",
            "java.lang.UnsupportedOperationException", "java.io.Serializable",
            // collections, streams, time
            "java.util.Collection", "java.util.List", "java.util.ArrayList", "java.util.LinkedList", "java.util.Set",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.SortedSet",
            "java.util.NavigableSet", "java.util.Map", "java.util.Map$Entry", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.SortedMap", "java.util.NavigableMap",
            "java.util.Queue", "java.util.Deque", "java.util.ArrayDeque", "java.util.Iterator", "java.util.ListIterator",
            "java.util.Collections", "java.util.Arrays", "java.util.Objects", "java.util.Optional",
            "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble", "java.util.Comparator",
            "java.util.StringJoiner", "java.util.Locale", "java.util.NoSuchElementException",
            "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry",
            "java.util.function.*", "java.util.stream.*",
            "java.time.*", "java.time.format.*", "java.time.temporal.*", "java.time.chrono.*",
            // what the executable model generates around the rules' own code
            "java.lang.System#arraycopy", "java.lang.invoke.LambdaMetafactory#metafactory",
            "java.lang.invoke.LambdaMetafactory#altMetafactory", "java.lang.invoke.StringConcatFactory#makeConcatWithConstants",
            "org.drools.model.*", "org.drools.model.functions.**", "org.drools.model.view.*", "org.drools.model.operators.*",
            "org.drools.model.bitmask.*",
            "org.drools.model.consequences.*", "org.drools.model.impl.RuleBuilder", "org.drools.model.impl.TypeMetaDataImpl",
            "org.drools.model.impl.DeclarationImpl", "org.drools.model.impl.Query0DefImpl",
            "org.drools.core.base.accumulators.*", "org.drools.modelcompiler.dsl.pattern.D", "org.drools.modelcompiler.util.EvaluationUtil",
            "org.drools.base.factmodel.GeneratedFact", "org.drools.base.factmodel.AccessibleFact",
            "org.drools.util.DateUtils#getDateFormatMask");

    /**
     * Members that would reach past the allow-list from an allowed type. {@code *#name} denies the
     * member on every type, the ruleset's own classes included, since a call names the receiver's type.
     */
    static final Set<String> DENIED_MEMBERS = Set.of(
            "*#getClass", "*#wait", "*#notify", "*#notifyAll", "*#getDeclaringClass", "*#printStackTrace",
            "*#setStackTrace", "*#parallel", "*#parallelStream", "*#parallelSort", "*#parallelPrefix",
            "*#parallelSetAll", "java.util.stream.StreamSupport#stream", "java.util.stream.StreamSupport#intStream",
            "java.util.stream.StreamSupport#longStream", "java.util.stream.StreamSupport#doubleStream",
            "java.lang.Boolean#getBoolean", "java.lang.Integer#getInteger", "java.lang.Long#getLong",
            "java.lang.String#matches", "java.lang.String#replaceAll", "java.lang.String#replaceFirst",
            "java.lang.String#split", "java.util.Locale#setDefault", "*#getStackTrace", "*#fillInStackTrace",
            "*#getSuppressed", "org.drools.model.Drools#getRuntime", "org.drools.model.Drools#getContext",
            "org.drools.model.Drools#getChannel", "org.drools.model.Drools#insertAsync");

    /**
     * Members of allowed types that run or allocate as much as an argument says, so that a rule
     * calling them with a value from the input need not finish, or may exhaust the heap: an
     * endless or ranged stream, a repeated string, a sized collection. A member is written
     * {@code type#name} or, for one overload, {@code type#name(descriptor}. An explicit entry allows one.
     */
    static final Set<String> UNBOUNDED_MEMBERS = Set.of(
            "java.util.stream.Stream#iterate", "java.util.stream.Stream#generate",
            "java.util.stream.IntStream#iterate", "java.util.stream.IntStream#generate",
            "java.util.stream.IntStream#range", "java.util.stream.IntStream#rangeClosed",
            "java.util.stream.LongStream#iterate", "java.util.stream.LongStream#generate",
            "java.util.stream.LongStream#range", "java.util.stream.LongStream#rangeClosed",
            "java.util.stream.DoubleStream#iterate", "java.util.stream.DoubleStream#generate",
            "java.lang.String#repeat", "java.lang.String#indent", "java.lang.String#format", "java.lang.String#formatted",
            "java.lang.StringBuilder#<init>(I)", "java.lang.StringBuilder#setLength",
            "*#ensureCapacity", "java.util.Collections#nCopies", "java.util.Arrays#copyOf", "java.util.Arrays#copyOfRange",
            "java.util.ArrayList#<init>(I)", "java.util.ArrayDeque#<init>(I)",
            "java.util.HashMap#<init>(I", "java.util.LinkedHashMap#<init>(I", "java.util.HashSet#<init>(I",
            "java.util.LinkedHashSet#<init>(I", "java.time.LocalDate#datesUntil",
            "java.time.format.DateTimeFormatterBuilder#padNext");

    private static final java.util.regex.Pattern ENTRY = java.util.regex.Pattern.compile(
            "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*"
                    + "(\\.\\*\\*?|#[\\p{javaJavaIdentifierStart}<][\\p{javaJavaIdentifierPart}>]*)?");

    public RuleCapabilities {
        extraEntries = List.copyOf(extraEntries);
        entries = Set.copyOf(entries);
    }

    /** The defaults and the operator's extra entries (blank ones ignored); refuses malformed entries. */
    public static RuleCapabilities of(List<String> extra) {
        List<String> cleaned = new ArrayList<>();
        for (String entry : extra == null ? List.<String>of() : extra) {
            String e = entry == null ? "" : entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            if (!ENTRY.matcher(e).matches()) {
                throw new IllegalArgumentException("scimgate.policy.allowed-types: \"" + e + "\" is not a type "
                        + "(java.util.BitSet), a package (com.acme.*, com.acme.**) or a member (com.acme.Util#parse)");
            }
            cleaned.add(e);
        }
        Set<String> all = new LinkedHashSet<>(DEFAULT_ENTRIES);
        all.addAll(cleaned);
        return new RuleCapabilities(cleaned, all);
    }

    public static RuleCapabilities defaults() {
        return of(List.of());
    }

    /** Comma- or whitespace-separated entries, as an environment variable or a system property holds them. */
    public static List<String> split(String value) {
        return value == null ? List.of() : Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    /** Whether code may use the type at all (name with dots, nested types with {@code $}). */
    boolean allowsType(String type) {
        if (entries.contains(type)) {
            return true;
        }
        int dot = type.lastIndexOf('.');
        String pkg = dot < 0 ? "" : type.substring(0, dot);
        if (entries.contains(pkg + ".*")) {
            return true;
        }
        for (String p = pkg; !p.isEmpty(); p = p.lastIndexOf('.') < 0 ? "" : p.substring(0, p.lastIndexOf('.'))) {
            if (entries.contains(p + ".**")) {
                return true;
            }
        }
        int nested = type.indexOf('$');
        return nested > 0 && allowsType(type.substring(0, nested));
    }

    /** Whether the member is on the deny list, for this type or for every type. */
    static boolean denied(String type, String member) {
        return DENIED_MEMBERS.contains("*#" + member) || DENIED_MEMBERS.contains(type + "#" + member);
    }

    /**
     * Whether a call ({@code name} followed by its descriptor, {@code repeat(I)Ljava/lang/String;})
     * is one of the {@link #UNBOUNDED_MEMBERS} and no explicit entry allows it.
     */
    boolean unbounded(String type, String call) {
        String name = call.substring(0, call.indexOf('('));
        if (entries.contains(type + "#" + name)) {
            return false;
        }
        if (UNBOUNDED_MEMBERS.contains(type + "#" + name) || UNBOUNDED_MEMBERS.contains("*#" + name)) {
            return true;
        }
        return UNBOUNDED_MEMBERS.stream().anyMatch(m -> m.contains("(") && (type + "#" + call).startsWith(m));
    }

    /** Whether code may use this member of the type: an explicit entry, or an allowed type and no denial. */
    boolean allowsMember(String type, String member) {
        if (entries.contains(type + "#" + member)) {
            return true;
        }
        return allowsType(type) && !denied(type, member);
    }
}
