package io.hotpath.agent.instrument.aeron;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.instrument.advice.ProbeId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the Aeron advice adds to the methods it is inlined into. A successful offer must run Aeron's own code plus one
 * compare of ours, and the method must not grow towards the JIT's inlining limits: no copies of the arguments into new
 * locals (Byte Buddy's default for exit advice, which renumbers every local of the method and lengthens every load).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AeronAdviceShapeTest {
    /** Stands in for {@code ConcurrentPublication}: an offer of four arguments returning a position or a refusal. */
    static class Publication {
        long limit = 1L << 20;
        long position;

        long offer(Object buffer, int offset, int length, Object supplier) {
            final long next = position + length;
            if (next > limit) {
                return -2L;
            }
            position = next;
            return next;
        }
    }

    /** Stands in for {@code Subscription}: a poll of two arguments returning fragments read. */
    static class Subscription {
        int poll(Object handler, int limit) {
            return limit > 0 ? 1 : 0;
        }
    }

    @Test
    void theOfferKeepsItsLocals() throws Exception {
        final Shape before = shape(bytes(Publication.class), "offer");
        final Shape after = shape(instrument(Publication.class, "offer", AeronAdvice.Refused.class), "offer");
        // The result (a long) is kept in one new local pair for the exit advice; nothing else. Copying the five
        // arguments (this included) would add five more.
        assertThat(after.maxLocals).isLessThanOrEqualTo(before.maxLocals + 2);
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
                                return new MethodVisitor(Opcodes.ASM9) {
                                    @Override
                                    public void visitMaxs(int maxStack, int maxLocals) {
                                        shapes.put(method, new Shape(maxLocals));
                                    }
                                };
                            }
                        },
                        ClassReader.SKIP_FRAMES);
        final Shape s = shapes.get(name);
        if (s == null) {
            throw new AssertionError("no method " + name + " in the class file");
        }
        return s;
    }
}
