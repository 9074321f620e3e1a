package io.hotpath.it.soak;

import io.hotpath.it.otlp.HttpOtlpReceiver;
import io.hotpath.it.otlp.Received;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * One incarnation of the soak's OTLP receiver, in a process of its own so that the soak can kill it for real:
 * {@code SoakReceiverMain <port> <summary file>}. Listens on 127.0.0.1:port with {@link HttpOtlpReceiver} and rewrites
 * the summary file (write to a temporary file, then rename) every 500 ms and at a normal exit, so a {@code kill -9}
 * leaves the summary of at most the last half second before it.
 *
 * <p>The summary holds, per cumulative series (metric and {@code hotpath.probe.name}), the point with the latest
 * timestamp: {@code sum|hist <tab> metric <tab> probe <tab> value-or-count <tab> start nanos <tab> time nanos}, and a
 * line {@code requests <tab> N}.
 */
public final class SoakReceiverMain {
    private static final long WRITE_EVERY_MS = 500;

    /** One series' latest point. */
    record Point(String type, long value, long start, long time) {}

    private SoakReceiverMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SoakReceiverMain <port> <summary file>");
            System.exit(2);
        }
        final Path summary = Path.of(args[1]);
        final HttpOtlpReceiver receiver = HttpOtlpReceiver.onPort(Integer.parseInt(args[0]));
        final Map<String, Point> latest = new TreeMap<>();
        final int[] seen = {0};
        final CountDownLatch stopped = new CountDownLatch(1);
        final Object lock = new Object();
        final Runnable write = () -> {
            synchronized (lock) {
                try {
                    write(receiver.received(), latest, seen, summary);
                } catch (IOException e) {
                    System.err.println("cannot write " + summary + ": " + e);
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            write.run();
            receiver.stop();
            stopped.countDown();
        }));
        receiver.start();
        System.out.println("RECEIVER-UP " + receiver.endpoint());
        System.out.flush();
        while (stopped.getCount() > 0) {
            write.run();
            Thread.sleep(WRITE_EVERY_MS);
        }
    }

    private static void write(Received received, Map<String, Point> latest, int[] seen, Path summary)
            throws IOException {
        final List<Received.MetricsRequest> requests = received.metricsRequests();
        for (int i = seen[0]; i < requests.size(); i++) {
            for (ResourceMetrics rm : requests.get(i).request().getResourceMetricsList()) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        if (m.hasSum()) {
                            for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                                keep(
                                        latest,
                                        m.getName(),
                                        probe(p.getAttributesList()),
                                        new Point("sum", p.getAsInt(), p.getStartTimeUnixNano(), p.getTimeUnixNano()));
                            }
                        } else if (m.hasExponentialHistogram()) {
                            for (ExponentialHistogramDataPoint p :
                                    m.getExponentialHistogram().getDataPointsList()) {
                                keep(
                                        latest,
                                        m.getName(),
                                        probe(p.getAttributesList()),
                                        new Point("hist", p.getCount(), p.getStartTimeUnixNano(), p.getTimeUnixNano()));
                            }
                        }
                    }
                }
            }
        }
        seen[0] = requests.size();
        final StringBuilder out = new StringBuilder();
        out.append("requests\t").append(requests.size()).append('\n');
        latest.forEach((key, p) -> out.append(p.type())
                .append('\t')
                .append(key)
                .append('\t')
                .append(p.value())
                .append('\t')
                .append(p.start())
                .append('\t')
                .append(p.time())
                .append('\n'));
        final Path tmp = summary.resolveSibling(summary.getFileName() + ".tmp");
        Files.writeString(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, summary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void keep(Map<String, Point> latest, String metric, String probe, Point p) {
        if (probe == null) {
            return;
        }
        latest.merge(metric + "\t" + probe, p, (old, now) -> now.time() >= old.time() ? now : old);
    }

    private static String probe(List<KeyValue> attributes) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals("hotpath.probe.name")) {
                return kv.getValue().getStringValue();
            }
        }
        return null;
    }
}
