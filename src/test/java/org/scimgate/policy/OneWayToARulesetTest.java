package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rules become runnable code in one place only, the compiler that runs the capability check: no
 * other class of the service (start-up, reload, the command line, and any later candidate path)
 * builds a {@link Ruleset} or a Drools container itself, so none can skip the check.
 */
class OneWayToARulesetTest {

    @Test
    void onlyTheCompilerBuildsRulesetsAndDroolsContainers() throws IOException {
        Set<String> callers = new TreeSet<>();
        try (Stream<Path> classes = Files.walk(Path.of("target/classes/org/scimgate"))) {
            for (Path file : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
                callers.addAll(callersIn(Files.readAllBytes(file)));
            }
        }
        assertThat(callers).isNotEmpty().allSatisfy(caller ->
                assertThat(caller).startsWith("org/scimgate/policy/RulesetCompiler"));
    }

    /** Classes that construct a Ruleset or ask KIE for a builder or container. */
    private static Set<String> callersIn(byte[] bytes) {
        Set<String> found = new TreeSet<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            private String name;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                this.name = name;
            }

            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String member, String desc, boolean itf) {
                        boolean newRuleset = owner.equals("org/scimgate/policy/Ruleset") && member.equals("<init>");
                        boolean kie = owner.startsWith("org/kie/api/") && Set.of("newKieBuilder", "newKieContainer",
                                "newKieClasspathContainer", "newKieBase").contains(member);
                        if (newRuleset || kie) {
                            found.add(name);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
        return found;
    }
}
