package io.hotpath.agent.instrument.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeferredAdviceTest {
    private static final byte[] REWRITTEN = {1, 2, 3};

    private final AtomicInteger builds = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    /** Stands in for the Byte Buddy transformer: rewrites whatever it is given. */
    private final ClassFileTransformer advice = new ClassFileTransformer() {
        @Override
        public byte[] transform(
                Module module,
                ClassLoader loader,
                String className,
                Class<?> classBeingRedefined,
                ProtectionDomain protectionDomain,
                byte[] classfileBuffer) {
            calls.incrementAndGet();
            return REWRITTEN;
        }
    };

    private DeferredAdvice gate() {
        return new DeferredAdvice(instrumentation(), Set.of("com/acme/Target"), List.of("com/lib/"), () -> {
            builds.incrementAndGet();
            return advice;
        });
    }

    private static byte[] define(DeferredAdvice gate, String name) {
        return gate.transform(null, null, name, null, null, new byte[0]);
    }

    @Test
    void otherClassesNeitherBuildNorReachTheAdvice() {
        final DeferredAdvice gate = gate();
        assertThat(define(gate, "com/acme/Other")).isNull();
        assertThat(define(gate, "java/lang/String")).isNull();
        assertThat(gate.transform(null, null, null, null, null, new byte[0])).isNull();
        assertThat(builds).hasValue(0);
        assertThat(calls).hasValue(0);
    }

    @Test
    void aTargetIsRewrittenWhenDefinedAndTheAdviceIsBuiltOnce() {
        final DeferredAdvice gate = gate();
        assertThat(define(gate, "com/acme/Target")).isEqualTo(REWRITTEN);
        assertThat(define(gate, "com/acme/Target")).isEqualTo(REWRITTEN);
        assertThat(define(gate, "com/acme/Other")).isNull();
        assertThat(builds).hasValue(1);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aLibraryClassStartsTheBuildInTheBackground() throws InterruptedException {
        final DeferredAdvice gate = gate();
        assertThat(define(gate, "com/lib/Bootstrap")).isNull();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builds.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(builds).hasValue(1);
        assertThat(define(gate, "com/lib/Other")).isNull();
        assertThat(define(gate, "com/acme/Target")).isEqualTo(REWRITTEN);
        assertThat(builds).hasValue(1);
    }

    @Test
    void aFailedBuildLeavesTargetsUnchangedAndIsNotRetried() {
        final DeferredAdvice gate = new DeferredAdvice(instrumentation(), Set.of("com/acme/Target"), List.of(), () -> {
            builds.incrementAndGet();
            throw new IllegalStateException("no Byte Buddy today");
        });
        assertThat(define(gate, "com/acme/Target")).isNull();
        assertThat(define(gate, "com/acme/Target")).isNull();
        assertThat(builds).hasValue(1);
    }

    /** An Instrumentation with no loaded classes that accepts transformers and does nothing else. */
    private static Instrumentation instrumentation() {
        return (Instrumentation) Proxy.newProxyInstance(
                DeferredAdviceTest.class.getClassLoader(), new Class<?>[] {Instrumentation.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "getAllLoadedClasses":
                            return new Class<?>[0];
                        case "isModifiableClass":
                        case "isRetransformClassesSupported":
                            return true;
                        case "hashCode":
                            return System.identityHashCode(p);
                        case "equals":
                            return p == args[0];
                        case "toString":
                            return "test instrumentation";
                        default:
                            return null;
                    }
                });
    }
}
