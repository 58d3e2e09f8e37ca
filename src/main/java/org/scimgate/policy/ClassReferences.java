package org.scimgate.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Every type and member one compiled class refers to, read from its bytecode, per method: the
 * owners of calls and field accesses, {@code new}, casts, {@code instanceof}, class constants,
 * caught exceptions, the bootstrap methods and method handles of {@code invokedynamic} (lambdas,
 * method references), its super types and the types of its fields. Also the string constants of
 * each method, which name the rule a generated method builds.
 */
record ClassReferences(String name, Set<String> interfaces, Map<String, List<Reference>> byMethod,
                       Map<String, List<String>> strings) {

    /** A type (member null) or a member of a type, in internal form ({@code java/lang/String}). */
    record Reference(String type, String member) {
    }

    static final String CLASS_LEVEL = "<class>";

    static ClassReferences read(byte[] bytes) {
        Collector collector = new Collector();
        new ClassReader(bytes).accept(collector, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new ClassReferences(collector.name, collector.interfaces, collector.byMethod, collector.strings);
    }

    private static final class Collector extends ClassVisitor {

        private String name;
        private final Set<String> interfaces = new LinkedHashSet<>();
        private final Map<String, List<Reference>> byMethod = new LinkedHashMap<>();
        private final Map<String, List<String>> strings = new LinkedHashMap<>();

        Collector() {
            super(Opcodes.ASM9);
        }

        private List<Reference> refs(String method) {
            return byMethod.computeIfAbsent(method, k -> new ArrayList<>());
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] ifaces) {
            this.name = name;
            if (superName != null) {
                type(refs(CLASS_LEVEL), Type.getObjectType(superName));
            }
            for (String i : ifaces == null ? new String[0] : ifaces) {
                interfaces.add(i);
                type(refs(CLASS_LEVEL), Type.getObjectType(i));
            }
        }

        @Override
        public FieldVisitor visitField(int access, String field, String descriptor, String signature, Object value) {
            type(refs(CLASS_LEVEL), Type.getType(descriptor));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] ex) {
            List<Reference> refs = refs(method);
            List<String> constants = strings.computeIfAbsent(method, k -> new ArrayList<>());
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    type(refs, Type.getObjectType(type));
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    member(refs, owner, field);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String m, String desc, boolean itf) {
                    member(refs, owner, m);
                }

                @Override
                public void visitMultiANewArrayInsn(String desc, int dims) {
                    type(refs, Type.getType(desc));
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    if (type != null) {
                        type(refs, Type.getObjectType(type));
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(refs, constants, value);
                }

                @Override
                public void visitInvokeDynamicInsn(String n, String desc, Handle bootstrap, Object... args) {
                    constant(refs, constants, bootstrap);
                    for (Object arg : args) {
                        constant(refs, constants, arg);
                    }
                }
            };
        }

        private static void constant(List<Reference> refs, List<String> constants, Object value) {
            if (value instanceof String s) {
                constants.add(s);
            } else if (value instanceof Type t && t.getSort() != Type.METHOD) {
                type(refs, t);
            } else if (value instanceof Handle h) {
                member(refs, h.getOwner(), h.getName());
            } else if (value instanceof ConstantDynamic dynamic) {
                constant(refs, constants, dynamic.getBootstrapMethod());
                for (int i = 0; i < dynamic.getBootstrapMethodArgumentCount(); i++) {
                    constant(refs, constants, dynamic.getBootstrapMethodArgument(i));
                }
            }
        }

        private static void member(List<Reference> refs, String owner, String member) {
            Type type = Type.getObjectType(owner);
            if (type.getSort() == Type.ARRAY) {
                // clone() or length of an array: what matters is what the array holds
                type(refs, type);
            } else {
                refs.add(new Reference(owner, member));
            }
        }

        private static void type(List<Reference> refs, Type type) {
            Type t = type.getSort() == Type.ARRAY ? type.getElementType() : type;
            if (t.getSort() == Type.OBJECT) {
                refs.add(new Reference(t.getInternalName(), null));
            }
        }
    }
}
