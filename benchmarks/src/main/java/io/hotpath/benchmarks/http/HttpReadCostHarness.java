package io.hotpath.benchmarks.http;

import io.hotpath.agent.http.HttpEndpoint;
import io.hotpath.agent.operate.LiveState;
import io.hotpath.agent.operate.Operations;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * CPU cost of {@code GET /api/dump} with 1,000 busy probes (a loop harness, not JMH: the quantity is CPU time per
 * request across the endpoint's threads, which a JMH invocation on one thread would not see).
 *
 * <p>Three figures from the same run, each the median over rounds of {@code requests} requests:
 *
 * <ul>
 *   <li><b>render</b>: the operations layer builds the dump of a new tick (report, percentiles, JSON) on this
 *       thread; thread CPU and bytes allocated per call. This is what the first request after each tick costs;
 *   <li><b>cached</b>: the same call again within the tick (the cache hit every further request of the tick gets);
 *   <li><b>http</b>: whole requests over loopback with the JDK client, each after a new tick (so each renders):
 *       process CPU per request, client included; and <b>http baseline</b>: requests for a missing route
 *       ({@code /api/nope}, a one-line 404) over the same connection, the transport's own cost;
 *   <li><b>page</b>: the same for the dashboard's document ({@code /api/page}, the default 16 busiest probes): render
 *       per new tick on this thread, and whole requests after each new tick asking for gzip, with the bytes of the
 *       compressed body; and the dump's compressed size for comparison.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.http.HttpReadCostHarness [probes]
 * [requests] [rounds]}.
 */
public final class HttpReadCostHarness {
    private HttpReadCostHarness() {}

    public static void main(String[] args) throws Exception {
        final int probes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final int requests = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        Probes.configure(probes + 16);
        populate(probes);
        final SnapshotTaker taker = new SnapshotTaker();
        final LiveState live = new LiveState();
        final Operations ops = new Operations(live, Map.of("pid", "1"), System.nanoTime());
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        final HttpEndpoint endpoint = HttpEndpoint.open("127.0.0.1", 0, ops, "benchmark-token-0123456789");
        final HttpClient client = HttpClient.newHttpClient();
        final HttpRequest dump = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/api/dump"))
                .build();
        final HttpRequest pageGzip = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoint.port() + "/api/page"))
                .header("Accept-Encoding", "gzip")
                .build();
        final HttpRequest dumpGzip = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoint.port() + "/api/dump"))
                .header("Accept-Encoding", "gzip")
                .build();
        final double[] pageRender = new double[rounds];
        final double[] pageRenderBytes = new double[rounds];
        final double[] pageHttp = new double[rounds];
        final double[] pageWire = new double[rounds];
        long pageLength = 0;
        long dumpWire = 0;
        final HttpRequest missing = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoint.port() + "/api/nope"))
                .build();
        final double[] render = new double[rounds];
        final double[] renderBytes = new double[rounds];
        final double[] cached = new double[rounds];
        final double[] http = new double[rounds];
        final double[] base = new double[rounds];
        long length = 0;
        for (int round = -2; round < rounds; round++) { // two warm-up rounds
            long cpu = 0;
            long bytes = 0;
            long hit = 0;
            for (int i = 0; i < requests; i++) {
                tick(probes, i);
                live.publish(taker.takeFull(), null, null);
                final long c0 = threads.getCurrentThreadCpuTime();
                final long b0 = threads.getCurrentThreadAllocatedBytes();
                length = ops.dump().length();
                final long c1 = threads.getCurrentThreadCpuTime();
                final long b1 = threads.getCurrentThreadAllocatedBytes();
                ops.dump();
                hit += threads.getCurrentThreadCpuTime() - c1;
                cpu += c1 - c0;
                bytes += b1 - b0;
            }
            long httpCpu = 0;
            for (int i = 0; i < requests; i++) {
                tick(probes, i);
                live.publish(taker.takeFull(), null, null);
                final long p0 = os.getProcessCpuTime();
                final HttpResponse<String> r = client.send(dump, HttpResponse.BodyHandlers.ofString());
                httpCpu += os.getProcessCpuTime() - p0;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("status " + r.statusCode());
                }
            }
            long baseCpu = 0;
            for (int i = 0; i < requests; i++) {
                final long p0 = os.getProcessCpuTime();
                client.send(missing, HttpResponse.BodyHandlers.discarding());
                baseCpu += os.getProcessCpuTime() - p0;
            }
            long pageCpu = 0;
            long pageBytes = 0;
            long pageHttpCpu = 0;
            long wire = 0;
            for (int i = 0; i < requests; i++) {
                tick(probes, i);
                live.publish(taker.takeFull(), null, null);
                final long c0 = threads.getCurrentThreadCpuTime();
                final long b0 = threads.getCurrentThreadAllocatedBytes();
                pageLength = ops.page(io.hotpath.agent.report.PageJson.TOP_DEFAULT)
                        .json()
                        .length();
                pageCpu += threads.getCurrentThreadCpuTime() - c0;
                pageBytes += threads.getCurrentThreadAllocatedBytes() - b0;
            }
            for (int i = 0; i < requests; i++) {
                tick(probes, i);
                live.publish(taker.takeFull(), null, null);
                final long p0 = os.getProcessCpuTime();
                final HttpResponse<byte[]> r = client.send(pageGzip, HttpResponse.BodyHandlers.ofByteArray());
                pageHttpCpu += os.getProcessCpuTime() - p0;
                if (r.statusCode() != 200
                        || !"gzip"
                                .equals(r.headers()
                                        .firstValue("Content-Encoding")
                                        .orElse(""))) {
                    throw new IllegalStateException("page status " + r.statusCode() + " " + r.headers());
                }
                wire += r.body().length;
            }
            dumpWire = client.send(dumpGzip, HttpResponse.BodyHandlers.ofByteArray())
                    .body()
                    .length;
            if (round >= 0) {
                pageRender[round] = pageCpu / 1e3 / requests;
                pageRenderBytes[round] = pageBytes / (double) requests;
                pageHttp[round] = pageHttpCpu / 1e3 / requests;
                pageWire[round] = wire / (double) requests;
                render[round] = cpu / 1e3 / requests;
                renderBytes[round] = bytes / (double) requests;
                cached[round] = hit / 1e3 / requests;
                http[round] = httpCpu / 1e3 / requests;
                base[round] = baseCpu / 1e3 / requests;
            }
        }
        endpoint.stop();
        System.out.printf(
                Locale.ROOT,
                "GET /api/page with %d probes (%d bytes, %.0f gzipped; the dump gzipped: %d bytes), medians [min-max]:%n"
                        + "  page render per new tick: %.0f us CPU [%.0f-%.0f], %.0f bytes allocated%n"
                        + "  page http request with gzip (renders), process CPU incl. client: %.0f us [%.0f-%.0f]%n",
                probes,
                pageLength,
                median(pageWire),
                dumpWire,
                median(pageRender),
                min(pageRender),
                max(pageRender),
                median(pageRenderBytes),
                median(pageHttp),
                min(pageHttp),
                max(pageHttp));
        System.out.printf(
                Locale.ROOT,
                "GET /api/dump with %d probes (%d bytes), %d rounds x %d requests, medians [min-max]:%n"
                        + "  render per new tick: %.0f us CPU [%.0f-%.0f], %.0f bytes allocated%n"
                        + "  cached within a tick: %.2f us CPU [%.2f-%.2f]%n"
                        + "  http request (renders), process CPU incl. client: %.0f us [%.0f-%.0f]%n"
                        + "  http baseline (/api/nope 404), process CPU incl. client: %.0f us [%.0f-%.0f]%n"
                        + "  at one request per second: %.3f%% of one core (render) / %.3f%% (whole request)%n",
                probes,
                length,
                rounds,
                requests,
                median(render),
                min(render),
                max(render),
                median(renderBytes),
                median(cached),
                min(cached),
                max(cached),
                median(http),
                min(http),
                max(http),
                median(base),
                min(base),
                max(base),
                median(render) / 1e4,
                median(http) / 1e4);
    }

    private static void populate(int probes) {
        for (int p = 0; p < probes; p++) {
            Probes.register(
                    "bench.Queue" + p + ".queue",
                    p % 4 == 3 ? PathKind.EXECUTOR : PathKind.QUEUE,
                    Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE));
        }
    }

    /** One interval of traffic on every probe: counters move and values land in each distribution. */
    private static void tick(int probes, int seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int id = 1; id <= probes; id++) {
            final Probe p = Probes.get(id);
            if (p == null) {
                continue;
            }
            p.add(Slot.IN, 100);
            p.add(Slot.OUT, 99);
            for (int v = 0; v < 20; v++) {
                final long ns = (long) Math.exp(random.nextDouble(6.9, 16.1));
                p.record(Dist.LATENCY, ns);
                p.record(Dist.WAIT, ns / 2);
                p.record(Dist.SIZE, random.nextInt(1, 64));
            }
        }
    }

    private static double median(double[] v) {
        final double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
