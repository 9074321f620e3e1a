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

    /** One cumulative sum the receiver must hold, equal to one of the application's own counts. */
    private record Exact(String metric, Predicate<String> probe, String truthKey, String what) {}

    /** The sums {@link #assertExact} compares with the application's ground truth. */
    private static final List<Exact> EXACT = List.of(
            new Exact("hotpath.queue.enqueued", INGRESS, "ingressQueued", "ingress queued"),
            new Exact("hotpath.queue.dropped", INGRESS, "ingressOverflow", "ingress overflow"),
            new Exact("hotpath.queue.dequeued", INGRESS, "ingressDequeued", "ingress dequeued"),
            new Exact("hotpath.queue.batches", INGRESS, "drainToNonEmptyCalls", "non-empty drains"),
            new Exact("hotpath.queue.batched", INGRESS, "drainToElements", "drained elements"),
            new Exact("hotpath.queue.enqueued", SUBSCRIBERS, "subscriberDelivered", "delivered"),
            new Exact("hotpath.queue.dequeued", SUBSCRIBERS, "subscriberConsumed", "consumed"),
            new Exact("hotpath.executor.task.submitted", POOL, "dispatchSubmitted", "submitted"),
            new Exact("hotpath.executor.task.rejected", POOL, "dispatchRejected", "rejected"),
            new Exact("hotpath.executor.task.completed", POOL, "dispatchCompleted", "completed"),
            new Exact("hotpath.executor.task.completed", FIXED_POOL, "fixedPoolTasks", "stats tasks"));

    /** The final cumulative values the receiver holds equal the application's own counts, exactly. */
    public static void assertExact(Received received, GroundTruth truth, String context) {
        for (Exact e : EXACT) {
            assertThat(sum(received, e.metric(), e.probe()))
                    .as(e.what() + "\n" + context)
                    .isEqualTo(truth.get(e.truthKey()));
        }
        assertThat(received.latestHistogram("hotpath.queue.batch.size", INGRESS)
                        .orElseThrow()
                        .getCount())
                .as("batch size count\n" + context)
                .isEqualTo(truth.get("drainToNonEmptyCalls"));
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

    /**
     * Starts a daemon thread that creates the file {@code go} once {@code receiver} has received {@code exports}
     * metric exports: the test application waits for that file (and gives up on its own after a minute, when the
     * test's assertions then fail). Interrupt the thread when the launch is over.
     */
    public static Thread goAfterExports(OtlpReceiver receiver, int exports, Path go) {
        final Thread t = new Thread(
                () -> {
                    try {
                        while (receiver.received().metricsRequests().size() < exports) {
                            Thread.sleep(20);
                        }
                        Files.createFile(go);
                    } catch (InterruptedException | IOException e) {
                        // the launch is over, or the file could not be made: the app times out and the test fails
                    }
                },
                "go-after-exports");
        t.setDaemon(true);
        t.start();
        return t;
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
