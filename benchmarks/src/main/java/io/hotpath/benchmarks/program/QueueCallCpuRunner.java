package io.hotpath.benchmarks.program;

import io.hotpath.benchmarks.report.Figure;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import io.hotpath.bootstrap.jdk.TrackedLinkedBlockingDeque;
import io.hotpath.bootstrap.jdk.TrackedLinkedBlockingQueue;
import io.hotpath.bootstrap.jdk.TrackedPriorityBlockingQueue;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * The same one-thread measurement as {@code TrackedQueueCallBenchmark} (one element in, one out, so nothing waits or
 * is timed), in thread CPU time instead of wall time, for a machine other processes keep busy: there a wall-time
 * figure also counts the time the benchmark thread spent descheduled, which swamps a few nanoseconds. Each run is a
 * fresh JVM with one queue class and one variant (the call sites stay monomorphic, as in JMH), variants alternating
 * (plain, tracked, plain, ...); a run warms up, then times {@code --batches} batches of {@code --ops} operations with
 * the thread's CPU clock and reports the median batch, and the bytes the thread allocated per operation. Prints, per
 * queue and operation, the median over runs of each variant and the added cost per call (one op is two calls).
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.QueueCallCpuRunner [--runs 5]
 *     [--queues ArrayBlockingQueue,LinkedBlockingQueue,LinkedBlockingDeque] [--ops offerPoll,putTake]
 *     [--batches 20] [--batch-ops 1000000] [--java JAVA]
 * </pre>
 */
public final class QueueCallCpuRunner {
    private static final String RESULT = "QUEUE-CALL-CPU ";
    private static final List<String> QUEUES =
            List.of("ArrayBlockingQueue", "LinkedBlockingQueue", "LinkedBlockingDeque", "PriorityBlockingQueue");
    private static final List<String> OPS = List.of("offerPoll", "putTake");
    private static final Integer ELEMENT = 42;

    private QueueCallCpuRunner() {}

    public static void main(String[] args) throws Exception {
        try {
            if (args.length > 0 && args[0].equals("--child")) {
                child(args);
            } else {
                run(args);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("QueueCallCpuRunner: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println("QueueCallCpuRunner: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        final Map<String, String> a = Flags.parse(
                args,
                Map.of(
                        "--runs", "5",
                        "--queues", "ArrayBlockingQueue,LinkedBlockingQueue,LinkedBlockingDeque",
                        "--ops", String.join(",", OPS),
                        "--batches", "20",
                        "--batch-ops", "1000000",
                        "--java", ChildJvm.currentJava()),
                List.of());
        final int runs = Flags.positive(a, "--runs");
        Flags.positive(a, "--batches");
        Flags.positive(a, "--batch-ops");
        final List<String> queues = listOf(a, "--queues", QUEUES);
        final List<String> ops = listOf(a, "--ops", OPS);
        System.out.println("queue-call-cpu: " + runs + " runs per variant, alternating; "
                + System.getProperty("java.vm.version") + " runs this harness, children on " + a.get("--java"));
        for (String queue : queues) {
            for (String op : ops) {
                final Map<String, List<Double>> nanos = new LinkedHashMap<>();
                final Map<String, List<Double>> bytes = new LinkedHashMap<>();
                for (int run = 0; run < runs; run++) {
                    for (String variant : List.of("plain", "tracked")) {
                        final double[] r = once(a, queue, variant, op);
                        nanos.computeIfAbsent(variant, k -> new ArrayList<>()).add(r[0]);
                        bytes.computeIfAbsent(variant, k -> new ArrayList<>()).add(r[1]);
                    }
                }
                final Figure plain = Figure.of(nanos.get("plain"));
                final Figure tracked = Figure.of(nanos.get("tracked"));
                System.out.printf(
                        Locale.ROOT,
                        "queue-call-cpu: %-22s %-9s plain %s ns/op, tracked %s ns/op; added per call %+.1f ns (median);"
                                + " B/op plain %.3f tracked %.3f%n",
                        queue,
                        op,
                        plain.format(),
                        tracked.format(),
                        (tracked.median() - plain.median()) / 2,
                        Figure.of(bytes.get("plain")).median(),
                        Figure.of(bytes.get("tracked")).median());
            }
        }
    }

    private static List<String> listOf(Map<String, String> a, String flag, List<String> allowed) {
        final List<String> values = Arrays.asList(a.get(flag).split(","));
        for (String v : values) {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException(
                        flag + " takes " + String.join(", ", allowed) + " separated by commas, got '" + v + "'");
            }
        }
        return values;
    }

    private static double[] once(Map<String, String> a, String queue, String variant, String op) throws Exception {
        final List<String> cmd = List.of(
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "-Xms256m",
                "-Xmx256m",
                "-cp",
                Flags.ownJar(),
                QueueCallCpuRunner.class.getName(),
                "--child",
                queue,
                variant,
                op,
                a.get("--batches"),
                a.get("--batch-ops"));
        final ChildJvm.Result r = ChildJvm.run(a.get("--java"), cmd, 300);
        final List<String> lines = r.linesStartingWith(RESULT);
        if (r.exitCode() != 0 || lines.size() != 1) {
            throw new IllegalStateException("run " + queue + " " + variant + " " + op + " exited with " + r.exitCode()
                    + ": " + ChildJvm.tail(r.stdout() + "\n" + r.stderr(), 5));
        }
        final String[] parts = lines.get(0).split(" ");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    // ------------------------------------------------------------------ child

    private static void child(String[] args) throws Exception {
        final String queue = args[1];
        final boolean tracked = args[2].equals("tracked");
        final boolean putTake = args[3].equals("putTake");
        final int batches = Integer.parseInt(args[4]);
        final int batchOps = Integer.parseInt(args[5]);
        final BlockingQueue<Integer> q = create(queue, tracked);
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long tid = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < 20; i++) { // warm-up: well past C2 compilation of the loop and the queue methods
            sink += putTake ? putTake(q, batchOps / 4) : offerPoll(q, batchOps / 4);
        }
        final double[] perOp = new double[batches];
        final long allocatedBefore = threads.getThreadAllocatedBytes(tid);
        long ops = 0;
        for (int b = 0; b < batches; b++) {
            final long start = threads.getCurrentThreadCpuTime();
            sink += putTake ? putTake(q, batchOps) : offerPoll(q, batchOps);
            perOp[b] = (threads.getCurrentThreadCpuTime() - start) / (double) batchOps;
            ops += batchOps;
        }
        final long allocated = threads.getThreadAllocatedBytes(tid) - allocatedBefore;
        Arrays.sort(perOp);
        if (sink != 0) {
            System.out.println("sink " + sink);
        }
        System.out.printf(Locale.ROOT, "%s%.3f %.4f%n", RESULT, perOp[batches / 2], allocated / (double) ops);
    }

    private static BlockingQueue<Integer> create(String queue, boolean tracked) {
        final int id = tracked
                ? Probes.register("bench.queue." + queue, PathKind.QUEUE, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT))
                        .id()
                : -1;
        final int capacity = 1024;
        final BlockingQueue<Integer> q =
                switch (queue) {
                    case "ArrayBlockingQueue" ->
                        tracked ? new TrackedArrayBlockingQueue<>(capacity, id) : new ArrayBlockingQueue<>(capacity);
                    case "LinkedBlockingQueue" ->
                        tracked ? new TrackedLinkedBlockingQueue<>(capacity, id) : new LinkedBlockingQueue<>(capacity);
                    case "LinkedBlockingDeque" ->
                        tracked ? new TrackedLinkedBlockingDeque<>(capacity, id) : new LinkedBlockingDeque<>(capacity);
                    case "PriorityBlockingQueue" ->
                        tracked ? new TrackedPriorityBlockingQueue<>(id) : new PriorityBlockingQueue<>();
                    default -> throw new IllegalArgumentException("unknown queue: " + queue);
                };
        if (tracked) {
            Probes.get(id).sampleMask(1023); // what a hot probe runs with
        }
        return q;
    }

    private static long offerPoll(BlockingQueue<Integer> q, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            q.offer(ELEMENT);
            final Integer e = q.poll();
            if (e == null) {
                sum++;
            }
        }
        return sum;
    }

    private static long putTake(BlockingQueue<Integer> q, int n) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            q.put(ELEMENT);
            final Integer e = q.take();
            if (e == null) {
                sum++;
            }
        }
        return sum;
    }
}
