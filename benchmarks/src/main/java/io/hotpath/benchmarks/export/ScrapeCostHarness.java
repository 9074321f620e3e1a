package io.hotpath.benchmarks.export;

import io.hotpath.bootstrap.Probes;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What one Prometheus scrape costs the agent, for N busy probes: the CPU and allocation of the scrape's server threads
 * ({@code hotpath-prometheus-*}, {@code HTTP-Dispatcher}) while they read the core, convert it and write the text (or
 * protobuf) format, for one {@code GET /metrics} from this process. Runs the exporter from the built agent jar
 * (relocated SDK and Prometheus exporter), started as the agent starts it ({@code OTEL_METRICS_EXPORTER=prometheus}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.export.ScrapeCostHarness \
 *      agent/target/hotpath-agent.jar [probes=1000] [iterations=100] [text|protobuf]
 * </pre>
 */
public final class ScrapeCostHarness {
    private static final String PROTOBUF =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    private ScrapeCostHarness() {}

    public static void main(String[] args) throws Exception {
        final File agentJar = new File(args.length > 0 ? args[0] : "agent/target/hotpath-agent.jar");
        final int probes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        final int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        final boolean protobuf = args.length > 3 && args[3].equals("protobuf");
        Probes.configure(Math.max(Probes.DEFAULT_CAPACITY, probes + 16));
        ExportCostHarness.populate(probes);

        final int port;
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final Properties system = new Properties();
        system.setProperty("otel.metrics.exporter", "prometheus");
        system.setProperty("otel.exporter.prometheus.port", String.valueOf(port));
        final ClassLoader loader = new AgentJarLoader(agentJar, ScrapeCostHarness.class.getClassLoader());
        final Class<?> env = loader.loadClass("io.hotpath.exporter.config.OtelEnvironment");
        final Object otel = env.getMethod("read", Map.class, Properties.class).invoke(null, Map.of(), system);
        final Class<?> settingsClass = loader.loadClass("io.hotpath.exporter.ExportSettings");
        final Class<?> modeClass = loader.loadClass("io.hotpath.exporter.ExportSettings$Mode");
        final Object mode = modeClass.getMethod("of", String.class).invoke(null, "otlp");
        final Object settings = settingsClass
                .getMethod("of", modeClass, otel.getClass(), int.class, int.class, Duration.class, String.class)
                .invoke(null, mode, otel, 2000, 320, Duration.ZERO, "bench");
        final Class<?> resourceClass = loader.loadClass("io.hotpath.shaded.io.opentelemetry.sdk.resources.Resource");
        final Object resource = resourceClass.getMethod("getDefault").invoke(null);
        final Class<?> logClass = loader.loadClass("io.hotpath.exporter.ExportLog");
        final Object log = logClass.getMethod("silent").invoke(null);
        final Class<?> exporterClass = loader.loadClass("io.hotpath.exporter.Exporter");
        final Object exporter = exporterClass
                .getMethod("start", settingsClass, resourceClass, logClass, long.class)
                .invoke(null, settings, resource, log, System.currentTimeMillis() * 1_000_000L);

        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final HttpClient client = HttpClient.newHttpClient();
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (protobuf) {
            request.header("Accept", PROTOBUF);
        }
        final int warmup = Math.max(30, iterations);
        final long[] cpu = new long[iterations];
        final long[] allocated = new long[iterations];
        int bytes = 0;
        for (int i = -warmup; i < iterations; i++) {
            ExportCostHarness.tick(probes, i);
            final long[] before = serverThreads(threads);
            final HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("scrape answered " + r.statusCode());
            }
            final long[] after = serverThreads(threads);
            if (i >= 0) {
                cpu[i] = after[0] - before[0];
                allocated[i] = after[1] - before[1];
                bytes = r.body().length;
            }
        }
        exporterClass.getMethod("shutdown", Duration.class).invoke(exporter, Duration.ofSeconds(5));
        System.out.printf(
                Locale.ROOT,
                "probes=%d format=%s iterations=%d (after %d warm-up) response=%d bytes%n"
                        + "CPU per scrape (server threads): median %.2f ms, p90 %.2f ms; allocated median %.1f MB%n"
                        + "at a 15 s scrape interval: %.3f %% of one core%n",
                probes,
                protobuf ? "protobuf" : "text",
                iterations,
                warmup,
                bytes,
                Quantiles.median(cpu) / 1e6,
                Quantiles.p90(cpu) / 1e6,
                Quantiles.median(allocated) / 1e6,
                100.0 * Quantiles.median(cpu) / 15e9);
    }

    /** CPU time and allocated bytes, summed over the scrape's server threads. */
    private static long[] serverThreads(com.sun.management.ThreadMXBean mx) {
        long cpu = 0;
        long alloc = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            final String n = t.getName();
            if (n.startsWith("hotpath-prometheus-") || n.equals("HTTP-Dispatcher")) {
                cpu += Math.max(0, mx.getThreadCpuTime(t.getId()));
                alloc += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
            }
        }
        return new long[] {cpu, alloc};
    }
}
