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
                       Map<String, List<String>> strings, Map<String, MethodShape> shapes, boolean local) {

    /**
     * What makes a method's running time or memory depend on more than its length: whether it
     * branches backwards (a loop), whether it allocates an array whose size is not a small constant,
     * and the methods it calls or takes a handle to (for recursion). Keyed by name and descriptor.
     */
    record MethodShape(String name, boolean loops, boolean sizedArray, List<Reference> calls) {
    }

    /** The largest array a rule may allocate, with a size written as a constant. */
    static final int MAX_CONSTANT_ARRAY = 1024;

    /** A type (member null) or a member of a type, in internal form ({@code java/lang/String}). */
    record Reference(String type, String member) {
    }

    static final String CLASS_LEVEL = "<class>";

    static ClassReferences read(byte[] bytes) {
        Collector collector = new Collector();
        new ClassReader(bytes).accept(collector, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new ClassReferences(collector.name, collector.interfaces, collector.byMethod, collector.strings,
                collector.shapes, collector.local);
    }

    private static final int NOT_CONSTANT = Integer.MIN_VALUE;

    private static final class Collector extends ClassVisitor {

        private String name;
        private final Set<String> interfaces = new LinkedHashSet<>();
        private final Map<String, List<Reference>> byMethod = new LinkedHashMap<>();
        private final Map<String, List<String>> strings = new LinkedHashMap<>();
        private final Map<String, MethodShape> shapes = new LinkedHashMap<>();
        private boolean local;

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
        public void visitOuterClass(String owner, String method, String descriptor) {
            // only local and anonymous classes have an enclosing method
            local = true;
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
            List<Reference> calls = new ArrayList<>();
            return new MethodVisitor(Opcodes.ASM9) {
                private final Set<Label> seen = new java.util.HashSet<>();
                /** The int constants pushed by the latest instructions, newest last; null for any other. */
                private final java.util.ArrayDeque<Integer> pushed = new java.util.ArrayDeque<>();
                private boolean loops;
                private boolean sizedArray;

                private void push(Integer constant) {
                    pushed.addLast(constant == null ? NOT_CONSTANT : constant);
                    if (pushed.size() > 255) {
                        pushed.removeFirst();
                    }
                }

                /** Whether the last {@code n} instructions pushed small constants whose product is small. */
                private boolean constantSizes(int n) {
                    if (pushed.size() < n) {
                        return false;
                    }
                    long product = 1;
                    java.util.Iterator<Integer> last = pushed.descendingIterator();
                    for (int i = 0; i < n; i++) {
                        int size = last.next();
                        if (size == NOT_CONSTANT || size < 0) {
                            return false;
                        }
                        product *= Math.max(size, 1);
                        if (product > MAX_CONSTANT_ARRAY) {
                            return false;
                        }
                    }
                    return true;
                }

                @Override
                public void visitLabel(Label label) {
                    seen.add(label);
                }

                @Override
                public void visitJumpInsn(int opcode, Label label) {
                    loops |= seen.contains(label);
                    push(null);
                }

                @Override
                public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                    loops |= seen.contains(dflt) || java.util.Arrays.stream(labels).anyMatch(seen::contains);
                    push(null);
                }

                @Override
                public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                    loops |= seen.contains(dflt) || java.util.Arrays.stream(labels).anyMatch(seen::contains);
                    push(null);
                }

                @Override
                public void visitInsn(int opcode) {
                    push(opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5 ? opcode - Opcodes.ICONST_0 : null);
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    if (opcode == Opcodes.NEWARRAY) {
                        sizedArray |= !constantSizes(1);
                        push(null);
                    } else {
                        push(opcode == Opcodes.BIPUSH || opcode == Opcodes.SIPUSH ? operand : null);
                    }
                }

                @Override
                public void visitVarInsn(int opcode, int var) {
                    push(null);
                }

                @Override
                public void visitIincInsn(int var, int increment) {
                    push(null);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    if (opcode == Opcodes.ANEWARRAY) {
                        sizedArray |= !constantSizes(1);
                    }
                    push(null);
                    type(refs, Type.getObjectType(type));
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    push(null);
                    member(refs, owner, field);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String m, String desc, boolean itf) {
                    push(null);
                    member(refs, owner, m);
                    calls.add(new Reference(owner, m + desc));
                }

                @Override
                public void visitMultiANewArrayInsn(String desc, int dims) {
                    sizedArray |= !constantSizes(dims);
                    push(null);
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
                    push(value instanceof Integer i ? i : null);
                    constant(refs, constants, value);
                }

                @Override
                public void visitInvokeDynamicInsn(String n, String desc, Handle bootstrap, Object... args) {
                    push(null);
                    constant(refs, constants, bootstrap);
                    for (Object arg : args) {
                        constant(refs, constants, arg);
                        if (arg instanceof Handle h) {
                            // a lambda's body or a method reference: called whenever the function object is
                            calls.add(new Reference(h.getOwner(), h.getName() + h.getDesc()));
                        }
                    }
                }

                @Override
                public void visitEnd() {
                    shapes.put(method + descriptor, new MethodShape(method, loops, sizedArray, List.copyOf(calls)));
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
