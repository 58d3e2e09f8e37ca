package org.scimgate.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.scimgate.scim.Email;
import org.scimgate.scim.ScimUser;

/**
 * One evaluation of a SCIM user against the shipped rules, and against a generated set of 200
 * rules: the ruleset alone ({@code engine*}), and as a request runs them, through the live
 * {@link PolicyEngine} that holds the ruleset, refuses on failure and counts overruns ({@code request*}).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEvaluationBenchmark {

    @Param({"default", "generated-200"})
    public String rules;

    private Ruleset ruleset;
    private PolicyEngine engine;
    private ScimUser compliant;
    private ScimUser violating;

    @Setup
    public void compile() throws IOException {
        Path dir = rules.equals("default") ? Path.of("rules") : generated(200);
        ruleset = new RulesetCompiler(Clock.systemUTC()).compile(dir);
        engine = PolicyEngine.load(dir, Clock.systemUTC());
        compliant = new ScimUser("u-1", null, "jane.doe@acme.com", "Jane Doe",
                List.of(new Email(0, "jane.doe@acme.com", "work", true)), "Engineering", "CC-1234", null, null, null, true);
        violating = new ScimUser("u-2", null, "mallory@evil.com", "Mallory",
                List.of(new Email(0, "mallory@evil.com", "work", true)), "Marketing", "12345", null, null, null, true);
    }

    @TearDown
    public void close() {
        ruleset.close();
        engine.close();
    }

    @Benchmark
    public Evaluation engineCompliantUser() {
        return ruleset.evaluate(compliant);
    }

    @Benchmark
    public Evaluation engineNonCompliantUser() {
        return ruleset.evaluate(violating);
    }

    @Benchmark
    public Evaluation requestCompliantUser() {
        return engine.evaluateOrRefuse(compliant);
    }

    @Benchmark
    public Evaluation requestNonCompliantUser() {
        return engine.evaluateOrRefuse(violating);
    }

    /** 200 rules of the shipped kinds: department lists, cost-center prefixes, domains, userName checks. */
    static Path generated(int count) throws IOException {
        Path dir = Files.createTempDirectory("scimgate-bench-rules");
        StringBuilder drl = new StringBuilder("""
                package generated;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.scim.Email;
                import org.scimgate.policy.Violation;
                import org.scimgate.policy.ReferenceList;
                """);
        for (int i = 0; i < count; i++) {
            String when = switch (i % 4) {
                case 0 -> "ScimUser( department == \"Dept" + i + "\", costCenter != null, !costCenter.startsWith(\"CC-" + (i % 10) + "\") )";
                case 1 -> "$e : Email( primary, address.valid, address.domain == \"blocked" + i + ".example\" )";
                case 2 -> "ScimUser( userName != null, userName.startsWith(\"svc-" + i + "-\") )";
                default -> "ScimUser( $d : department, department != null )\n    ReferenceList( name == \"list" + i + "\", values contains $d )";
            };
            drl.append("""
                    rule "generated rule %d"
                        @code("GEN_%d") @severity("low") @mode("enforce")
                    when
                        %s
                    then
                        insert(new Violation("userName", "generated rule %d"));
                    end
                    """.formatted(i, i, when, i));
        }
        Files.writeString(dir.resolve("generated.drl"), drl);
        StringBuilder data = new StringBuilder("lists:\n");
        for (int i = 3; i < count; i += 4) {
            data.append("  list").append(i).append(": [Blocked").append(i).append("]\n");
        }
        Files.writeString(dir.resolve("reference-data.yaml"), data);
        return dir;
    }
}
