package io.hotpath.benchmarks.export;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * What one OTLP export interval costs the agent's export thread, for N busy probes: one snapshot of the core, its
 * conversion to OpenTelemetry metric data (cumulative sums, exponential histograms), and the OTLP protobuf
 * serialisation the sender performs, with and without gzip. The network send itself is I/O on another thread and not
 * counted. Runs the exporter classes from the built agent jar (relocated SDK included), measured with per-thread CPU
 * time and allocation counters after a warm-up.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.export.ExportCostHarness \
 *      agent/target/hotpath-agent.jar [probes=1000] [iterations=200]
 * </pre>
 *
 * Probes are a realistic mix: three quarters queues (latency, wait and size distributions), one quarter thread pools
 * (latency and wait), each with a few thousand recorded values spread over four decades, so every histogram is
 * populated and downscaled as in production.
 */
public final class ExportCostHarness {
    private ExportCostHarness() {}

    public static void main(String[] args) throws Exception {
        final File agentJar = new File(args.length > 0 ? args[0] : "agent/target/hotpath-agent.jar");
        final int probes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        final int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Probes.configure(Math.max(Probes.DEFAULT_CAPACITY, probes + 16));
        populate(probes);

        final ClassLoader loader = new AgentJarLoader(agentJar, ExportCostHarness.class.getClassLoader());
        final Class<?> scopeInfo =
                loader.loadClass("io.hotpath.shaded.io.opentelemetry.sdk.common.InstrumentationScopeInfo");
        final Object scope = scopeInfo.getMethod("create", String.class).invoke(null, "io.hotpath");
        final Class<?> converterClass = loader.loadClass("io.hotpath.exporter.metrics.SnapshotConverter");
        final Object converter = converterClass
                .getConstructor(scopeInfo, int.class, int.class, long.class)
                .newInstance(scope, 2000, 320, System.currentTimeMillis() * 1_000_000L);
        final Class<?> producerClass = loader.loadClass("io.hotpath.exporter.metrics.SnapshotMetricProducer");
        final Object producer = producerClass.getConstructor(converterClass).newInstance(converter);
        final Class<?> resourceClass = loader.loadClass("io.hotpath.shaded.io.opentelemetry.sdk.resources.Resource");
        final Object resource = resourceClass.getMethod("getDefault").invoke(null);
        final Method produce = producerClass.getMethod("produce", resourceClass);
        final Class<?> marshalerClass = loader.loadClass(
                "io.hotpath.shaded.io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler");
        final Method create = marshalerClass.getMethod("create", Collection.class);
        final Method writeBinary = marshalerClass.getMethod("writeBinaryTo", OutputStream.class);

        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        final int warmup = Math.max(50, iterations);
        final long[][] samples = new long[4][iterations]; // produce cpu, marshal cpu, gzip cpu, allocated
        int points = 0;
        int rawBytes = 0;
        int gzipBytes = 0;
        for (int i = -warmup; i < iterations; i++) {
            tick(probes, i);
            final long a0 = threads.getThreadAllocatedBytes(self);
            final long c0 = threads.getCurrentThreadCpuTime();
            final Collection<?> metrics = (Collection<?>) produce.invoke(producer, resource);
            final long c1 = threads.getCurrentThreadCpuTime();
            out.reset();
            writeBinary.invoke(create.invoke(null, metrics), out);
            final long c2 = threads.getCurrentThreadCpuTime();
            final ByteArrayOutputStream zipped = new ByteArrayOutputStream(out.size() / 4);
            try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
                out.writeTo(gz);
            }
            final long c3 = threads.getCurrentThreadCpuTime();
            final long a1 = threads.getThreadAllocatedBytes(self);
            if (i >= 0) {
                samples[0][i] = c1 - c0;
                samples[1][i] = c2 - c1;
                samples[2][i] = c3 - c2;
                samples[3][i] = a1 - a0;
                rawBytes = out.size();
                gzipBytes = zipped.size();
                points = countPoints(loader, metrics);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "probes=%d metrics points=%d iterations=%d (after %d warm-up)%n"
                        + "snapshot+convert: median %.2f ms, p90 %.2f ms CPU%n"
                        + "OTLP protobuf:    median %.2f ms, p90 %.2f ms CPU; %d bytes%n"
                        + "gzip:             median %.2f ms, p90 %.2f ms CPU; %d bytes%n"
                        + "total per export: median %.2f ms CPU, %.1f MB allocated%n"
                        + "at the default 60 s interval: %.4f %% of one core%n",
                probes,
                points,
                iterations,
                warmup,
                ms(Quantiles.median(samples[0])),
                ms(Quantiles.p90(samples[0])),
                ms(Quantiles.median(samples[1])),
                ms(Quantiles.p90(samples[1])),
                rawBytes,
                ms(Quantiles.median(samples[2])),
                ms(Quantiles.p90(samples[2])),
                gzipBytes,
                ms(Quantiles.median(sum(samples[0], samples[1])) + Quantiles.median(samples[2])),
                Quantiles.median(samples[3]) / 1e6,
                100.0 * (Quantiles.median(sum(samples[0], samples[1])) + Quantiles.median(samples[2])) / 60e9);
    }

    /** Registers the probes and records a first load into each. */
    static void populate(int probes) {
        for (int p = 0; p < probes; p++) {
            if (p % 4 == 3) {
                Probes.register(
                        "bench.Pool" + p + ".pool", PathKind.EXECUTOR, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT));
            } else {
                Probes.register(
                        "bench.Queue" + p + ".queue",
                        PathKind.QUEUE,
                        Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE));
            }
        }
        for (int i = 0; i < 5; i++) {
            tick(probes, i);
        }
    }

    /** One interval of traffic on every probe: counters move and a few hundred values land in each distribution. */
    static void tick(int probes, int seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int id = 1; id <= probes; id++) {
            final Probe p = Probes.get(id);
            p.add(Slot.IN, 1000);
            p.add(Slot.OUT, 990);
            p.add(Slot.CALLS, 1000);
            p.add(Slot.STARTED, 990);
            for (int v = 0; v < 200; v++) {
                // log-uniform 1 µs .. 10 ms
                final long ns = (long) Math.exp(random.nextDouble(6.9, 16.1));
                p.record(Dist.LATENCY, ns);
                p.record(Dist.WAIT, ns / 2);
                p.record(Dist.SIZE, random.nextInt(1, 64));
            }
        }
    }

    private static int countPoints(ClassLoader loader, Collection<?> metrics) throws ReflectiveOperationException {
        final String data = "io.hotpath.shaded.io.opentelemetry.sdk.metrics.data.";
        final Method getData = loader.loadClass(data + "MetricData").getMethod("getData");
        final Method getPoints = loader.loadClass(data + "Data").getMethod("getPoints");
        int n = 0;
        for (Object m : metrics) {
            n += ((Collection<?>) getPoints.invoke(getData.invoke(m))).size();
        }
        return n;
    }

    private static long[] sum(long[] a, long[] b) {
        final long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
