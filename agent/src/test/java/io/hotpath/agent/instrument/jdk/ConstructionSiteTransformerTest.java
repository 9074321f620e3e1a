package io.hotpath.agent.instrument.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.instrument.ProbeNames;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConstructionSiteTransformerTest {
    private static final String SAMPLES = "io/hotpath/agent/instrument/jdk/SiteSamples";

    private static byte[] bytesOf(String internalName) throws IOException {
        try (InputStream in =
                ConstructionSiteTransformerTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    private static ConstructionSiteTransformer transformer(Map<String, String> renames) {
        final TrackedTypes types = new TrackedTypes(true, true, ConstructionSiteTransformerTest.class.getClassLoader());
        return new ConstructionSiteTransformer(
                types, new ClassFilter(List.of(), List.of(), false), new ProbeNames(renames), true);
    }

    /** Defines one class from the given bytes, delegating everything else to the test's loader. */
    private static final class OneClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClassLoader(String name, byte[] bytes) {
            super(ConstructionSiteTransformerTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (n.equals(name)) {
                synchronized (getClassLoadingLock(n)) {
                    final Class<?> loaded = findLoadedClass(n);
                    return loaded != null ? loaded : defineClass(n, bytes, 0, bytes.length);
                }
            }
            return super.loadClass(n, resolve);
        }
    }

    @Test
    void rewritesEverySiteAndTheRewrittenClassVerifiesAndRuns() throws Exception {
        final ConstructionSiteTransformer t = transformer(Map.of());
        final byte[] rewritten = t.rewrite(SAMPLES, bytesOf(SAMPLES));
        assertThat(rewritten).isNotNull();
        final Class<?> c =
                new OneClassLoader(SAMPLES.replace('/', '.'), rewritten).loadClass(SAMPLES.replace('/', '.'));
        final Object samples = c.getDeclaredConstructor().newInstance();
        final Method build = c.getMethod("build", boolean.class);
        @SuppressWarnings("unchecked")
        final List<Object> made = (List<Object>) build.invoke(samples, true);
        final List<String> classes = new ArrayList<>();
        for (Object o : made) {
            classes.add(o.getClass().getSimpleName());
        }
        assertThat(classes)
                .containsExactly(
                        "TrackedLinkedBlockingQueue",
                        "TrackedArrayBlockingQueue",
                        "TrackedThreadPoolExecutor",
                        "TrackedArrayBlockingQueue",
                        "TrackedArrayBlockingQueue",
                        "TrackedConcurrentLinkedQueue",
                        "TrackedThreadPoolExecutor");
        // The nested ArrayBlockingQueue copied its source's elements: both constructions rewritten with their ids.
        assertThat(t.rewrittenSites()).isEqualTo(12);
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoConstructionsOnOneLineNeverShareAProbe() throws Exception {
        final ConstructionSiteTransformer t = transformer(Map.of());
        final byte[] rewritten = t.rewrite(SAMPLES, bytesOf(SAMPLES));
        final Class<?> c =
                new OneClassLoader(SAMPLES.replace('/', '.'), rewritten).loadClass(SAMPLES.replace('/', '.'));
        final Object samples = c.getDeclaredConstructor().newInstance();
        final List<Object> made = (List<Object>) c.getMethod("oneLine").invoke(samples);

        final String prefix = "io.hotpath.agent.instrument.jdk.SiteSamples.oneLine:";
        final List<String> names = names(n -> n.startsWith(prefix));
        assertThat(names).hasSize(4);
        final String pool = names.stream()
                .filter(n -> find(n).kind() == PathKind.EXECUTOR)
                .findFirst()
                .orElseThrow();
        final String pair = names.stream()
                .filter(n -> !n.startsWith(pool) && !n.contains("#"))
                .findFirst()
                .orElseThrow();
        assertThat(names).containsExactlyInAnyOrder(pool, pool + ".queue", pair, pair + "#2");
        assertThat(find(pool + ".queue").kind()).isEqualTo(PathKind.QUEUE);

        // Each object records into its own probe.
        ((java.util.Queue<Object>) made.get(1)).offer("task");
        ((java.util.Queue<Object>) made.get(3)).offer("second");
        ((java.util.Queue<Object>) made.get(3)).offer("second");
        assertThat(find(pool).total(io.hotpath.bootstrap.Slot.IN)).isZero();
        assertThat(find(pool + ".queue").total(io.hotpath.bootstrap.Slot.IN)).isEqualTo(1);
        assertThat(find(pair).total(io.hotpath.bootstrap.Slot.IN)).isZero();
        assertThat(find(pair + "#2").total(io.hotpath.bootstrap.Slot.IN)).isEqualTo(2);

        // A pool whose queue argument sits on a line of its own still names that queue after itself; a queue built
        // inside another queue's arguments on the same line is the second site of that line.
        final String build = "io.hotpath.agent.instrument.jdk.SiteSamples.build:";
        final List<String> built = names(n -> n.startsWith(build));
        assertThat(built).anyMatch(n -> n.endsWith(".queue") && built.contains(n.substring(0, n.length() - 6)));
        assertThat(built).anyMatch(n -> n.endsWith("#2") && built.contains(n.substring(0, n.length() - 2)));
    }

    private static List<String> names(java.util.function.Predicate<String> p) {
        final List<String> names = new ArrayList<>();
        Probes.forEach(x -> {
            if (p.test(x.name())) {
                names.add(x.name());
            }
        });
        return names;
    }

    @Test
    void namesProbesByFieldOrSiteAndAppliesRenames() throws Exception {
        final String site = "io.hotpath.agent.instrument.jdk.SiteSamples.build:";
        final ConstructionSiteTransformer t =
                transformer(Map.of("io.hotpath.agent.instrument.jdk.SiteSamples.workers", "renamed.workers"));
        t.rewrite(SAMPLES, bytesOf(SAMPLES));
        final List<String> names = new ArrayList<>();
        Probes.forEach(p -> names.add(p.name()));
        assertThat(names)
                .contains(
                        "io.hotpath.agent.instrument.jdk.SiteSamples.inbox",
                        "io.hotpath.agent.instrument.jdk.SiteSamples.STATIC_QUEUE",
                        "renamed.workers");
        assertThat(names).anyMatch(n -> n.startsWith(site));
        final Probe inbox = find("io.hotpath.agent.instrument.jdk.SiteSamples.inbox");
        assertThat(inbox.kind()).isEqualTo(PathKind.QUEUE);
        assertThat(find("renamed.workers").kind()).isEqualTo(PathKind.EXECUTOR);
    }

    @Test
    void aSubclassOfAPoolGetsTheTrackedSuperclassOnlyWhenBeingDefined() throws Exception {
        final String sample = "io/hotpath/agent/instrument/jdk/SubclassSample";
        final ConstructionSiteTransformer t = transformer(Map.of());
        final byte[] bytes = bytesOf(sample);
        assertThat(t.rewrite(sample, bytes, false))
                .as("a loaded class cannot change its superclass; its queue site alone is rewritten")
                .isNotNull();
        assertThat(t.rewrittenSubclasses()).isZero();

        final byte[] rewritten = t.rewrite(sample, bytes, true);
        assertThat(t.rewrittenSubclasses()).isEqualTo(1);
        final Class<?> c = new OneClassLoader(sample.replace('/', '.'), rewritten).loadClass(sample.replace('/', '.'));
        assertThat(c.getSuperclass().getName()).isEqualTo("io.hotpath.bootstrap.jdk.TrackedThreadPoolExecutor");
        final java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor)
                c.getDeclaredConstructor().newInstance();
        try {
            pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        final Probe p = find("io.hotpath.agent.instrument.jdk.SubclassSample");
        assertThat(p.kind()).isEqualTo(PathKind.EXECUTOR);
        assertThat(p.total(io.hotpath.bootstrap.Slot.IN)).isEqualTo(1);
        assertThat(p.total(io.hotpath.bootstrap.Slot.STARTED))
                .as("counted although the override does not call super")
                .isEqualTo(1);
        assertThat(c.getField("before").getInt(pool))
                .as("the override still runs")
                .isEqualTo(1);
    }

    @Test
    void aReparentedSubclassIsReparentedAgainWhenRetransformed() throws Exception {
        final String sample = "io/hotpath/agent/instrument/jdk/SubclassSample";
        final ConstructionSiteTransformer t = transformer(Map.of());
        final byte[] original = bytesOf(sample);
        final Class<?> reparented = new OneClassLoader(sample.replace('/', '.'), t.rewrite(sample, original, true))
                .loadClass(sample.replace('/', '.'));
        // Retransformation hands the original bytes again: the result must keep the superclass the class has.
        assertThat(ConstructionSiteTransformer.keepsSuperclass(null)).isTrue();
        assertThat(ConstructionSiteTransformer.keepsSuperclass(reparented)).isTrue();
        final byte[] again = t.rewrite(sample, original, ConstructionSiteTransformer.keepsSuperclass(reparented));
        assertThat(new net.bytebuddy.jar.asm.ClassReader(again).getSuperName())
                .isEqualTo("io/hotpath/bootstrap/jdk/TrackedThreadPoolExecutor");
        // A class loaded with its JDK superclass keeps it.
        assertThat(ConstructionSiteTransformer.keepsSuperclass(SubclassSample.class))
                .isFalse();
        final byte[] plain =
                t.rewrite(sample, original, ConstructionSiteTransformer.keepsSuperclass(SubclassSample.class));
        assertThat(new net.bytebuddy.jar.asm.ClassReader(plain).getSuperName())
                .isEqualTo("java/util/concurrent/ThreadPoolExecutor");
    }

    @Test
    void classesWithoutSitesAndFilteredClassesAreLeftAlone() throws Exception {
        final ConstructionSiteTransformer t = transformer(Map.of());
        final String self = "io/hotpath/agent/instrument/jdk/ConstructionSiteTransformerTest$OneClassLoader";
        assertThat(t.transform(null, getClass().getClassLoader(), self, null, null, bytesOf(self)))
                .isNull();
        assertThat(t.transform(null, null, SAMPLES, null, null, bytesOf(SAMPLES)))
                .as("boot-loaded classes are JDK classes, not rewritten by default")
                .isNull();
        assertThat(t.transform(null, getClass().getClassLoader(), "io/hotpath/agent/Y", null, null, bytesOf(SAMPLES)))
                .isNull();
    }

    @Test
    void malformedClassFileIsLeftUnchangedNotThrown() {
        final ConstructionSiteTransformer t = transformer(Map.of());
        final byte[] junk = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 3, 99, 99, 99};
        assertThat(t.transform(null, getClass().getClassLoader(), "com/acme/Broken", null, null, junk))
                .isNull();
    }

    private static Probe find(String name) {
        final Probe[] found = new Probe[1];
        Probes.forEach(p -> {
            if (p.name().equals(name)) {
                found[0] = p;
            }
        });
        assertThat(found[0]).as(name).isNotNull();
        return found[0];
    }
}
