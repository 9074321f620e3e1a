package io.hotpath.benchmarks.program;

import io.hotpath.benchmarks.QueueCalls;
import io.hotpath.benchmarks.report.Figure;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The same one-thread workload as {@code TrackedQueueCallBenchmark} ({@link QueueCalls}: one element in, one out, so
 * nothing waits or is timed), in thread CPU time instead of wall time, for a machine other processes keep busy: there a wall-time
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
    private static final List<String> QUEUES = QueueCalls.QUEUES.stream()
            .filter(q -> !q.equals("ConcurrentLinkedQueue")) // no put/take
            .toList();
    private static final List<String> OPS = List.of("offerPoll", "putTake");

    private QueueCallCpuRunner() {}

    /** The command line; see the class comment. */
    @Command(name = "QueueCallCpuRunner", mixinStandardHelpOptions = true)
    static final class Options {
        @Option(names = "--runs", converter = Cli.Positive.class, description = "runs per variant (default 5)")
        int runs = 5;

        @Option(names = "--queues", split = ",", description = "queue classes (default the first three)")
        List<String> queues = List.of("ArrayBlockingQueue", "LinkedBlockingQueue", "LinkedBlockingDeque");

        @Option(names = "--ops", split = ",", description = "offerPoll, putTake (default both)")
        List<String> ops = OPS;

        @Option(names = "--batches", converter = Cli.Positive.class, description = "timed batches per run (default 20)")
        int batches = 20;

        @Option(
                names = "--batch-ops",
                converter = Cli.Positive.class,
                description = "operations per batch (default 1000000)")
        int batchOps = 1_000_000;

        @Mixin
        Cli.Java children;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args);
        } else {
            Cli.main("QueueCallCpuRunner", new Options(), args, QueueCallCpuRunner::run);
        }
    }

    private static void run(Options a) throws Exception {
        final int runs = a.runs;
        final List<String> queues = checked(a.queues, "--queues", QUEUES);
        final List<String> ops = checked(a.ops, "--ops", OPS);
        System.out.println("queue-call-cpu: " + runs + " runs per variant, alternating; "
                + System.getProperty("java.vm.version") + " runs this harness, children on " + a.children.java);
        for (String queue : queues) {
            for (String op : ops) {
                final Map<String, List<Double>> nanos = new TreeMap<>();
                final Map<String, List<Double>> bytes = new TreeMap<>();
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

    private static List<String> checked(List<String> values, String flag, List<String> allowed) {
        for (String v : values) {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException(
                        flag + " takes " + String.join(", ", allowed) + " separated by commas, got '" + v + "'");
            }
        }
        return values;
    }

    private static double[] once(Options a, String queue, String variant, String op) throws Exception {
        final List<String> cmd = List.of(
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "-Xms256m",
                "-Xmx256m",
                "-cp",
                Cli.ownJar(),
                QueueCallCpuRunner.class.getName(),
                "--child",
                queue,
                variant,
                op,
                Integer.toString(a.batches),
                Integer.toString(a.batchOps));
        final ChildJvm.Result r = ChildJvm.run(a.children.java, cmd, 300);
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
        final Queue<Integer> q = QueueCalls.create(queue, tracked);
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

    /** {@code n} times {@link QueueCalls#offerPoll}: how many polls found nothing (none, unless the queue is broken). */
    private static long offerPoll(Queue<Integer> q, int n) {
        long missed = 0;
        for (int i = 0; i < n; i++) {
            if (QueueCalls.offerPoll(q) == null) {
                missed++;
            }
        }
        return missed;
    }

    /** {@code n} times {@link QueueCalls#putTake}; the queue is a blocking one (the runner offers no other). */
    private static long putTake(Queue<Integer> q, int n) throws InterruptedException {
        final BlockingQueue<Integer> bq = (BlockingQueue<Integer>) q;
        long missed = 0;
        for (int i = 0; i < n; i++) {
            if (QueueCalls.putTake(bq) == null) {
                missed++;
            }
        }
        return missed;
    }
}
