package io.hotpath.it.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.GroundTruth;
import io.hotpath.it.Launch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the export it-tests share: the reference application's probes, exactness checks, timing, heap. */
public final class ExportChecks {
    /** The ingress ArrayBlockingQueue (named after its creation line, which may move). */
    public static final Predicate<String> INGRESS = n -> n.startsWith("io.hotpath.reference.StatusBroadcaster.");

    /** The subscribers' LinkedBlockingQueues, one probe for all. */
    public static final Predicate<String> SUBSCRIBERS =
            n -> n.equals("io.hotpath.reference.QueueSubscriberChannel.queue");

    /** The dispatcher's thread pool. */
    public static final Predicate<String> POOL = n -> n.equals("io.hotpath.reference.Dispatcher.pool");

    /** The progress reporter's fixed pool. */
    public static final Predicate<String> FIXED_POOL = n -> n.startsWith("io.hotpath.reference.ProgressReporter");

    private static final Pattern GC_AFTER = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private ExportChecks() {}

    /** The final cumulative values the receiver holds equal the application's own counts, exactly. */
    public static void assertExact(Received received, GroundTruth truth, String context) {
        assertThat(sum(received, "hotpath.queue.enqueued", INGRESS))
                .as("ingress queued\n" + context)
                .isEqualTo(truth.get("ingressQueued"));
        assertThat(sum(received, "hotpath.queue.dropped", INGRESS))
                .as("ingress overflow\n" + context)
                .isEqualTo(truth.get("ingressOverflow"));
        assertThat(sum(received, "hotpath.queue.dequeued", INGRESS))
                .as("ingress dequeued\n" + context)
                .isEqualTo(truth.get("ingressDequeued"));
        assertThat(sum(received, "hotpath.queue.batches", INGRESS))
                .as("non-empty drains\n" + context)
                .isEqualTo(truth.get("drainToNonEmptyCalls"));
        assertThat(sum(received, "hotpath.queue.batched", INGRESS))
                .as("drained elements\n" + context)
                .isEqualTo(truth.get("drainToElements"));
        assertThat(received.latestHistogram("hotpath.queue.batch.size", INGRESS)
                        .orElseThrow()
                        .getCount())
                .as("batch size count\n" + context)
                .isEqualTo(truth.get("drainToNonEmptyCalls"));
        assertThat(sum(received, "hotpath.queue.enqueued", SUBSCRIBERS))
                .as("delivered\n" + context)
                .isEqualTo(truth.get("subscriberDelivered"));
        assertThat(sum(received, "hotpath.queue.dequeued", SUBSCRIBERS))
                .as("consumed\n" + context)
                .isEqualTo(truth.get("subscriberConsumed"));
        assertThat(sum(received, "hotpath.executor.task.submitted", POOL))
                .as("submitted\n" + context)
                .isEqualTo(truth.get("dispatchSubmitted"));
        assertThat(sum(received, "hotpath.executor.task.rejected", POOL))
                .as("rejected\n" + context)
                .isEqualTo(truth.get("dispatchRejected"));
        assertThat(sum(received, "hotpath.executor.task.completed", POOL))
                .as("completed\n" + context)
                .isEqualTo(truth.get("dispatchCompleted"));
        assertThat(sum(received, "hotpath.executor.task.completed", FIXED_POOL))
                .as("stats tasks\n" + context)
                .isEqualTo(truth.get("fixedPoolTasks"));
    }

    /** The latest cumulative value of a sum for a probe; fails if none arrived. */
    public static long sum(Received received, String metric, Predicate<String> probe) {
        return received.latestSum(metric, probe)
                .orElseThrow(() -> new AssertionError(
                        "no " + metric + " point for the probe; received " + received.metricNames()));
    }

    /** Runs the launch on another thread, so the test can change the receiver meanwhile. */
    public static CompletableFuture<Launch.Result> inBackground(Launch launch) {
        final CompletableFuture<Launch.Result> f = new CompletableFuture<>();
        final Thread t = new Thread(
                () -> {
                    try {
                        f.complete(launch.run());
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                },
                "launch");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Sleeps until {@code offset} after {@code startNanos}. */
    public static void at(long startNanos, Duration offset) throws InterruptedException {
        final long wait = startNanos + offset.toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Waits until {@code condition} holds, at most {@code limit}; returns whether it held. */
    public static boolean await(java.util.function.BooleanSupplier condition, Duration limit)
            throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Waits until a JVM launched after {@code sinceMillis} (wall clock) writes a stderr line containing every one of
     * {@code parts}, at most {@code limit}. Reads the launches' stderr files in {@link Launch#WORK} while they run;
     * pass something unique to the run, such as the receiver's endpoint.
     */
    public static boolean awaitStderr(long sinceMillis, Duration limit, String... parts) throws InterruptedException {
        return await(
                () -> {
                    try (java.util.stream.Stream<Path> files = Files.list(Launch.WORK)) {
                        return files.filter(f -> f.getFileName().toString().endsWith("-stderr.txt"))
                                .filter(f -> f.toFile().lastModified() >= sinceMillis - 1000)
                                .anyMatch(f -> {
                                    try {
                                        return Files.readAllLines(f).stream()
                                                .anyMatch(l -> java.util.Arrays.stream(parts)
                                                        .allMatch(l::contains));
                                    } catch (IOException | UncheckedIOException e) {
                                        return false;
                                    }
                                });
                    } catch (IOException e) {
                        return false;
                    }
                },
                limit);
    }

    /** Agent lines that report an export failure at WARN. */
    public static List<String> exportWarnings(Launch.Result r) {
        return r.agentLines().stream()
                .filter(l -> (l.contains(" WARN ") || l.contains(" ERROR ")) && l.contains("export"))
                .filter(l -> !l.contains(" alert ")) // the analyzer's alerts are about the application, not export
                .toList();
    }

    /** Heap occupancy after each GC, in MB, from an {@code -Xlog:gc:file=...} log. */
    public static List<Integer> heapAfterGcMb(Path gcLog) {
        try {
            return Files.readAllLines(gcLog).stream()
                    .map(GC_AFTER::matcher)
                    .filter(Matcher::find)
                    .map(m -> Integer.parseInt(m.group(2)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
