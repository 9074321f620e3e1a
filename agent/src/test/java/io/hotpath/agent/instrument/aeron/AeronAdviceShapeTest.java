package io.hotpath.agent.instrument.aeron;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.aeron.ConcurrentPublication;
import io.aeron.ExclusivePublication;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import io.hotpath.bootstrap.PathKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the Aeron instrumentation adds to the methods it changes. A successful offer must run Aeron's own bytecode
 * alone, and the poll must not grow towards the JIT's inlining limits: no copies of the arguments into new locals
 * (Byte Buddy's default for exit advice, which renumbers every local of the method and lengthens every load).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AeronAdviceShapeTest {
    /** Stands in for {@code Subscription}: a poll of two arguments returning fragments read. */
    static class Subscription {
        int poll(Object handler, int limit) {
            return limit > 0 ? 1 : 0;
        }
    }

    /**
     * On Aeron's own publications, the refusal sites leave every instruction of Aeron's in place and in order, and add
     * only the counting calls: one per refusal Aeron decides in the method. The success path is therefore Aeron's
     * bytecode; the added blocks sit on the refusal branches. The instrumented class must also pass the verifier.
     */
    @Test
    void theRefusalSitesAddOnlyCountingCallsToAeronsOffers() throws Exception {
        final ProbeIdMapping ids = new ProbeIdMapping((type, method) -> "test.shape#offer", PathKind.IPC, 0, p -> {});
        final Map<String, Long> counts = Map.of(
                "ConcurrentPublication.offer(Lorg/agrona/DirectBuffer;IILio/aeron/ReservedValueSupplier;)J", 3L,
                "ConcurrentPublication.tryClaim(ILio/aeron/logbuffer/BufferClaim;)J", 3L,
                "ExclusivePublication.offer(Lorg/agrona/DirectBuffer;IILio/aeron/ReservedValueSupplier;)J", 2L,
                "ExclusivePublication.tryClaim(ILio/aeron/logbuffer/BufferClaim;)J", 2L);
        for (Class<?> type : new Class<?>[] {ConcurrentPublication.class, ExclusivePublication.class}) {
            final byte[] before = bytes(type);
            final byte[] after = new ByteBuddy()
                    .redefine(type)
                    .visit(new StreamField.Adder())
                    .visit(RefusalSites.of(named("offer"), named("tryClaim"), ids, ids, true))
                    .make()
                    .getBytes();
            final Map<String, List<String>> was = instructions(before);
            final Map<String, List<String>> now = instructions(after);
            for (Map.Entry<String, List<String>> m : was.entrySet()) {
                final List<String> added = added(m.getValue(), now.get(m.getKey()));
                final String key = type.getSimpleName() + "." + m.getKey();
                final long calls = added.stream()
                        .filter(i -> i.contains("io/hotpath/bootstrap/ipc/Publications.refused"))
                        .count();
                if (counts.containsKey(key)) {
                    assertThat(calls).as(key).isEqualTo(counts.get(key));
                }
                if (m.getKey().matches("(append(Unf|F)ragmentedMessage|claim)\\(.*")) {
                    assertThat(calls).as(key + ": the term's end").isEqualTo(1L);
                }
            }
            verify(type, after);
        }
    }

    /**
     * The instructions of {@code now} that are not in {@code was}, which must be a subsequence of {@code now}: nothing
     * of Aeron's removed or reordered.
     */
    private static List<String> added(List<String> was, List<String> now) {
        final List<String> added = new ArrayList<>();
        int i = 0;
        for (String insn : now) {
            if (i < was.size() && was.get(i).equals(insn)) {
                i++;
            } else {
                added.add(insn);
            }
        }
        assertThat(i).as("Aeron's instructions, in order").isEqualTo(was.size());
        return added;
    }

    /** Defines the instrumented class beside Aeron's others in a loader of its own and links it (verifies it). */
    private static void verify(Class<?> type, byte[] instrumented) throws Exception {
        final java.net.URL[] jars = {
            type.getProtectionDomain().getCodeSource().getLocation(),
            org.agrona.DirectBuffer.class.getProtectionDomain().getCodeSource().getLocation()
        };
        try (var loader = new java.net.URLClassLoader(jars, AeronAdviceShapeTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (!name.startsWith("io.aeron.") && !name.startsWith("org.agrona.")) {
                        return super.loadClass(name, resolve);
                    }
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = name.equals(type.getName())
                                ? defineClass(name, instrumented, 0, instrumented.length)
                                : findClass(name);
                    }
                    return c;
                }
            }
        }) {
            final Class<?> loaded = Class.forName(type.getName(), true, loader);
            assertThat(loaded.getClassLoader()).isSameAs(loader);
        }
    }

    /** Each method's instructions as text (opcode and operands), without labels, frames and line numbers. */
    private static Map<String, List<String>> instructions(byte[] classFile) {
        final Map<String, List<String>> methods = new HashMap<>();
        readMethods(
                classFile,
                (method, descriptor) -> {
                    final List<String> insns = new ArrayList<>();
                    methods.put(method + descriptor, insns);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInsn(int opcode) {
                            insns.add("insn " + opcode);
                        }

                        @Override
                        public void visitIntInsn(int opcode, int operand) {
                            insns.add("int " + opcode + " " + operand);
                        }

                        @Override
                        public void visitVarInsn(int opcode, int var) {
                            insns.add("var " + opcode + " " + var);
                        }

                        @Override
                        public void visitTypeInsn(int opcode, String type) {
                            insns.add("type " + opcode + " " + type);
                        }

                        @Override
                        public void visitFieldInsn(int opcode, String owner, String name, String desc) {
                            insns.add("field " + opcode + " " + owner + "." + name + desc);
                        }

                        @Override
                        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                            insns.add("method " + opcode + " " + owner + "." + name + desc);
                        }

                        @Override
                        public void visitJumpInsn(int opcode, Label label) {
                            insns.add("jump " + opcode);
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            insns.add("ldc " + value);
                        }

                        @Override
                        public void visitIincInsn(int var, int increment) {
                            insns.add("iinc " + var + " " + increment);
                        }
                    };
                },
                ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return methods;
    }

    @Test
    void thePollKeepsItsLocals() throws Exception {
        final Shape before = shape(bytes(Subscription.class), "poll");
        final Shape after = shape(instrument(Subscription.class, "poll", AeronAdvice.Poll.class), "poll");
        // The result (an int) and the thrown throwable: two new locals.
        assertThat(after.maxLocals).isLessThanOrEqualTo(before.maxLocals + 2);
    }

    private static byte[] instrument(Class<?> type, String method, Class<?> advice) {
        return new ByteBuddy()
                .redefine(type)
                .visit(Advice.withCustomMapping()
                        .bind(ProbeId.class, 7)
                        .to(advice)
                        .on(named(method)))
                .make()
                .getBytes();
    }

    private static byte[] bytes(Class<?> type) throws Exception {
        try (var in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private record Shape(int maxLocals) {}

    /** The max_locals of the method named {@code name}, read from the class file. */
    private static Shape shape(byte[] classFile, String name) {
        final Map<String, Shape> shapes = new HashMap<>();
        readMethods(
                classFile,
                (method, descriptor) -> new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        shapes.put(method, new Shape(maxLocals));
                    }
                },
                ClassReader.SKIP_FRAMES);
        final Shape s = shapes.get(name);
        if (s == null) {
            throw new AssertionError("no method " + name + " in the class file");
        }
        return s;
    }

    /** Reads a class file, handing each method to the visitor {@code visitors} makes for its name and descriptor. */
    private static void readMethods(
            byte[] classFile, java.util.function.BiFunction<String, String, MethodVisitor> visitors, int flags) {
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access,
                                    String method,
                                    String descriptor,
                                    String signature,
                                    String[] exceptions) {
                                return visitors.apply(method, descriptor);
                            }
                        },
                        flags);
    }
}
