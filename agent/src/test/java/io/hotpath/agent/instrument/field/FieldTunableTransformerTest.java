package io.hotpath.agent.instrument.field;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.optimize.tunable.Role;
import io.hotpath.agent.optimize.tunable.TunableSpec;
import io.hotpath.bootstrap.Tunables;
import io.hotpath.samples.knobs.KnobReader;
import io.hotpath.samples.knobs.Knobs;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rewrites the sample classes, loads them in a fresh loader, and checks what their reads return. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FieldTunableTransformerTest {
    private static final int BASE = 200; // ids of this test, clear of other tests
    private static final String PKG = "io.hotpath.samples.knobs.";

    private final List<String> rejected = new ArrayList<>();
    private final Map<String, String> resolved = new HashMap<>();

    @BeforeEach
    @AfterEach
    void reset() {
        for (int i = BASE; i < BASE + 10; i++) {
            Tunables.resetForTest(i);
        }
    }

    private FieldTunableTransformer transformer(String decl) {
        final TunableSpec.Parsed p = TunableSpec.parseAll(decl, BASE, Tunables.CAPACITY);
        assertThat(p.problems()).isEmpty();
        return new FieldTunableTransformer(
                p.specs(), new ClassFilter(List.of(), List.of(), false), new FieldTunableTransformer.Listener() {
                    @Override
                    public void resolved(TunableSpec spec, boolean isStatic, boolean isFinal, char type) {
                        resolved.put(spec.name(), (isStatic ? "static " : "") + (isFinal ? "final " : "") + type);
                    }

                    @Override
                    public void rejected(TunableSpec spec, String problem) {
                        rejected.add(problem);
                    }
                });
    }

    /** A loader that defines the sample classes itself, rewritten by {@code t}. */
    private static ClassLoader loader(FieldTunableTransformer t) {
        return new ClassLoader(FieldTunableTransformerTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith(PKG)) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        final String internal = name.replace('.', '/');
                        final byte[] original = bytes(internal);
                        final byte[] rewritten = t.transform(null, this, internal, null, null, original);
                        final byte[] b = rewritten == null ? original : rewritten;
                        c = defineClass(name, b, 0, b.length);
                    }
                    return c;
                }
            }
        };
    }

    private static byte[] bytes(String internal) {
        try (InputStream in = FieldTunableTransformerTest.class.getResourceAsStream("/" + internal + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object call(Class<?> c, Object target, String method) throws Exception {
        final Method m = c.getMethod(method);
        return m.invoke(target);
    }

    @Test
    void instanceStaticAndFinalReadsFollowTheCellOnceActive() throws Exception {
        final FieldTunableTransformer t = transformer("batch=" + PKG + "Knobs#batch:batch-size[1..512];"
                + "final=" + PKG + "Knobs#finalBatch:batch-size[1..512];"
                + "sb=" + PKG + "Knobs#staticBatch:generic[1..100];"
                + "sf=" + PKG + "Knobs#STATIC_FINAL:flush-interval[1..100];"
                + "zip=" + PKG + "Knobs#compress:compression;"
                + "flush=" + PKG + "Knobs#flush:flush-interval[0..100]");
        final ClassLoader l = loader(t);
        final Class<?> knobs = l.loadClass(PKG + "Knobs");
        final Class<?> reader = l.loadClass(PKG + "KnobReader");
        assertThat(rejected).isEmpty();
        assertThat(resolved)
                .containsEntry("batch", "I")
                .containsEntry("final", "final I")
                .containsEntry("sb", "static I")
                .containsEntry("sf", "static final J")
                .containsEntry("zip", "Z");
        final Constructor<?> ctor = knobs.getConstructor(int.class, int.class);
        final Object a = ctor.newInstance(3, 30);
        final Object b = ctor.newInstance(4, 40);

        // Inactive: each instance keeps its own value; the first read is captured as the original.
        assertThat(call(knobs, a, "batch")).isEqualTo(3);
        assertThat(call(knobs, b, "batch")).isEqualTo(4);
        assertThat(call(knobs, a, "finalBatch")).isEqualTo(30);
        assertThat(call(knobs, null, "staticBatch")).isEqualTo(10);
        assertThat(Tunables.hasOriginalAcquire(BASE)).isTrue();
        assertThat(Tunables.originalAcquire(BASE)).isEqualTo(3);
        assertThat(Tunables.originalAcquire(BASE + 2)).isEqualTo(10);

        // Active: every instance, every reader sees the tunable at once.
        Tunables.activateRelease(BASE, 64);
        Tunables.activateRelease(BASE + 1, 65);
        Tunables.activateRelease(BASE + 2, 66);
        Tunables.activateRelease(BASE + 3, 67);
        Tunables.activateRelease(BASE + 4, 1);
        Tunables.activateRelease(BASE + 5, 68);
        assertThat(call(knobs, a, "batch")).isEqualTo(64);
        assertThat(call(knobs, b, "batch")).isEqualTo(64);
        assertThat(call(knobs, a, "nestedRead")).isEqualTo(64);
        assertThat(call(knobs, b, "finalBatch")).isEqualTo(65);
        assertThat(call(knobs, null, "staticBatch")).isEqualTo(66);
        assertThat(call(reader, null, "staticBatch")).isEqualTo(66);
        assertThat(call(knobs, null, "staticFinal")).isEqualTo(67L);
        assertThat(call(knobs, a, "compress")).isEqualTo(true);
        assertThat(call(knobs, a, "flush")).isEqualTo(68L);
        assertThat(call(knobs, a, "label")).isEqualTo("x");

        // Rollback to the original: the per-instance values come back.
        Tunables.deactivateRelease(BASE);
        assertThat(call(knobs, a, "batch")).isEqualTo(3);
        assertThat(call(knobs, b, "batch")).isEqualTo(4);
        assertThat(t.rewrittenClasses()).isGreaterThanOrEqualTo(3); // Knobs, Knobs$Inner, KnobReader
    }

    @Test
    void compileTimeConstantIsRejectedWithAClearMessage() throws Exception {
        final FieldTunableTransformer t = transformer("c=" + PKG + "Knobs#CONSTANT:generic[1..10]");
        final Class<?> knobs = loader(t).loadClass(PKG + "Knobs");
        assertThat(rejected)
                .singleElement()
                .asString()
                .contains("hotpath.tunables entry c=" + PKG + "Knobs#CONSTANT rejected")
                .contains(PKG + "Knobs.CONSTANT is a compile-time constant (public static final int CONSTANT = 5)")
                .doesNotContain("\n");
        assertThat(call(knobs, null, "constant")).isEqualTo(5);
    }

    @Test
    void typeMismatchAndMissingFieldAreRejectedAndTheClassStillWorks() throws Exception {
        final FieldTunableTransformer t = transformer("l=" + PKG + "Knobs#label:generic[1..10];"
                + "z=" + PKG + "Knobs#batch:compression;"
                + "m=" + PKG + "Knobs#missing:batch-size[1..2];"
                + "ok=" + PKG + "Knobs#flush:flush-interval[0..100]");
        final Class<?> knobs = loader(t).loadClass(PKG + "Knobs");
        assertThat(rejected).hasSize(3);
        assertThat(String.join("|", rejected))
                .contains("field " + PKG + "Knobs.label: it is String")
                .contains("Knobs.batch: it is int; compression needs a boolean field")
                .contains("declares no field missing");
        final Object a = knobs.getConstructor(int.class, int.class).newInstance(3, 30);
        assertThat(call(knobs, a, "batch")).isEqualTo(3);
        Tunables.activateRelease(BASE + 1, 1); // the rejected compression tunable's cell: reads must ignore it
        assertThat(call(knobs, a, "batch")).isEqualTo(3);
        assertThat(resolved).containsOnlyKeys("ok");
    }

    @Test
    void classesOfOtherPackagesAreNotTouched() {
        final FieldTunableTransformer t = transformer("b=" + PKG + "Knobs#batch:batch-size[1..512]");
        assertThat(t.transform(
                        null,
                        null,
                        "io/hotpath/agent/optimize/tunable/Role",
                        null,
                        null,
                        bytes("io/hotpath/agent/optimize/tunable/Role")))
                .isNull();
        assertThat(KnobReader.staticBatch()).isEqualTo(Knobs.staticBatch()); // the unrewritten copies still load
    }

    @Test
    void fieldTypeChecks() {
        final TunableSpec batch = new TunableSpec(0, "b", "a.B", "f", Role.BATCH_SIZE, true, 1, 512);
        final TunableSpec zip = new TunableSpec(1, "z", "a.B", "g", Role.COMPRESSION, false, 0, 0);
        final TunableSpec wide = new TunableSpec(2, "w", "a.B", "h", Role.GENERIC, true, 1, 1L << 40);
        final TunableSpec shards = new TunableSpec(3, "s", "a.B", "i", Role.SHARDS, false, 0, 0);
        assertThat(FieldTunableTransformer.typeProblem(batch, "I")).isNull();
        assertThat(FieldTunableTransformer.typeProblem(batch, "J")).isNull();
        assertThat(FieldTunableTransformer.typeProblem(batch, "Z")).contains("needs an int or long field");
        assertThat(FieldTunableTransformer.typeProblem(batch, "Ljava/lang/String;"))
                .contains("it is String")
                .contains("must be int, long or boolean");
        assertThat(FieldTunableTransformer.typeProblem(batch, "D")).contains("it is double");
        assertThat(FieldTunableTransformer.typeProblem(zip, "Z")).isNull();
        assertThat(FieldTunableTransformer.typeProblem(zip, "I")).contains("compression needs a boolean field");
        assertThat(FieldTunableTransformer.typeProblem(wide, "I")).contains("do not fit an int field");
        assertThat(FieldTunableTransformer.typeProblem(wide, "J")).isNull();
        assertThat(FieldTunableTransformer.typeProblem(shards, "Z")).isNull();
        assertThat(FieldTunableTransformer.typeProblem(shards, "I")).contains("needs bounds");
    }
}
