package io.hotpath.it;

import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.soak.SoakReceiverMain;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak: the reference broadcaster under alternating burst and steady load ({@code --scenario soak}) with the
 * agent's defaults for a long time, exporting to a real OTLP receiver that runs in a process of its own and is killed
 * ({@code SIGKILL}) and restarted every few minutes. One fault (a slow subscriber) is injected near the end. At the
 * end it checks, and prints:
 *
 * <ul>
 *   <li><b>counts</b>: every cumulative count in the agent's exit dump equals the application's ground truth, and so
 *       does the point the last receiver incarnation received last. The agent exports cumulative sums with one start
 *       time for the life of the process, so a receiver that restarts loses nothing it needs: the last point any
 *       incarnation gets carries the whole total. Each incarnation's last values must also be no greater than the
 *       next one's, with the same start time (a cumulative series never restarts).
 *   <li><b>memory</b>: heap in use right after a full GC ({@code jcmd GC.run} then {@code GC.heap_info}) and the
 *       process RSS, sampled over the run; their least-squares slope from the end of the warm-up to the fault's onset,
 *       in MiB per 10 minutes, must stay under the limit over a window of 10 minutes or more; shorter runs report the
 *       slopes and fail only on a gross leak ({@link #SHORT_RUN_HEAP_LIMIT}, {@link #SHORT_RUN_RSS_LIMIT}).
 *   <li><b>threads</b>: the live thread count of the process ({@code /proc/PID/status}) may not grow over that
 *       window by more than a small allowance.
 *   <li><b>findings</b>: no finding above info before the fault's onset (except one that began during one of the
 *       soak's own sampling full GCs or {@link #OWN_GC_SHADOW_MS} after it: the stop backs the queues up; such findings
 *       are listed in the report; so is one that began while every CPU of the machine was busy, {@link #OVERLOADED}:
 *       on a shared machine other processes can starve the consumers, a real backlog the agent rightly reports); after it the fault's own (saturation or a depth anomaly of the
 *       slow subscriber's queue) must be there, and others only on the probes the fault backs up ({@link #PIPELINE}).
 *   <li><b>health</b>: the application exits 0 with its invariants holding, no exception trace on its stderr, and the
 *       agent warns only about alerts and the receiver's outages.
 * </ul>
 *
 * {@code main} is the long version (benchmarks/soak.sh); {@code SoakIT} runs a 3-minute one.
 */
public final class Soak {
    /** Where the fault shows: kind and probe of the finding the slow subscriber must cause. */
    static final String FAULT = "slow-subscriber";

    /**
     * The slow subscriber's own queue backs up: at the soak's low rate the analyzer may name that a depth anomaly (the
     * queue grows without bound yet) before it names it saturation, depending on where in a burst the fault lands.
     * Either, on that queue, is the fault found.
     */
    static final java.util.Set<String> FAULT_KINDS = java.util.Set.of("saturation", "depth_anomaly");

    static final String FAULT_PROBE = "io.hotpath.reference.QueueSubscriberChannel.queue";

    /**
     * The probes a slow subscriber backs up: its queue fills, the dispatcher's tasks wait and are rejected, the ingress
     * queue overflows. Findings there after the onset are the fault's; anywhere else (the JVM, the agent) they are not.
     */
    static final String PIPELINE = "io.hotpath.reference.";

    /** A machine whose CPUs were this busy (all cores, every process) starves the application of CPU. */
    static final double OVERLOADED = 0.95;

    /** How long after one of the soak's own full GCs a backlog it caused may still be found. */
    static final long OWN_GC_SHADOW_MS = 3000;

    /** RSS slope limit for windows shorter than 10 minutes (MiB per 10 minutes): catches gross leaks only. */
    static final double SHORT_RUN_RSS_LIMIT = 64;

    /** Heap-after-GC slope limit for windows shorter than 10 minutes (MiB per 10 minutes). */
    static final double SHORT_RUN_HEAP_LIMIT = 5;

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K");
    private static final Pattern METASPACE_USED = Pattern.compile("Metaspace\\s+used (\\d+)K");
    /** The classes of all loaders, hidden ones included: the "Total" line of {@code VM.classloader_stats}. */
    private static final Pattern CLASSES = Pattern.compile("Total = \\d+\\s+(\\d+)");
    /** {@code VM.native_memory summary}: the total line, and one line per category (JDK 17 and 25 alike). */
    private static final Pattern NMT_TOTAL_LINE = Pattern.compile("(?m)^Total: reserved=\\d+KB, committed=(\\d+)KB");

    private static final Pattern NMT_CATEGORY =
            Pattern.compile("(?m)^-\\s+(\\S[^(\\n]*?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    /** {@code Compiler.codecache}: one line per code heap segment, then the count of nmethods (JDK 17 and 25 alike). */
    private static final Pattern CODE_HEAP = Pattern.compile("(?m)^CodeHeap '([^']+)': size=\\d+Kb used=(\\d+)Kb");

    private static final Pattern NMETHODS = Pattern.compile("\\bnmethods=(\\d+)");

    /** What a soak run is told. */
    public record Options(
            Path java,
            Path agentJar,
            Path appJar,
            String receiverClassPath,
            Path out,
            Duration duration,
            Duration restartEvery,
            Duration outage,
            Duration sampleEvery,
            Duration warmUp,
            Duration faultAt,
            int rate,
            double maxSlopeMiBPer10Min,
            int maxThreadGrowth,
            boolean withAgent,
            boolean trimNativeHeap,
            List<String> jvmFlags) {
        /** Defaults scaled to the duration: 3 minutes gives restarts every 30 s, 30 minutes every 3 min. */
        public static Options forDuration(Path java, Path agentJar, Path appJar, String cp, Path out, Duration d) {
            final Duration restart = clamp(d.dividedBy(8), Duration.ofSeconds(30), Duration.ofMinutes(3));
            final Duration tail = clamp(d.dividedBy(6), Duration.ofSeconds(30), Duration.ofMinutes(5));
            return new Options(
                    java,
                    agentJar,
                    appJar,
                    cp,
                    out,
                    d,
                    restart,
                    clamp(restart.dividedBy(6), Duration.ofSeconds(5), Duration.ofSeconds(15)),
                    clamp(d.dividedBy(20), Duration.ofSeconds(5), Duration.ofSeconds(30)),
                    tail,
                    d.minus(tail),
                    // Bursts of 4000 msg/s to 4 subscribers: far from what the slowest CI machine can deliver, so
                    // only the injected fault makes a queue back up.
                    1000,
                    1.0,
                    3,
                    true,
                    false,
                    List.of());
        }

        /**
         * These options with the agent or without it, with the C heap trimmed before each RSS sample or not, and with
         * extra flags for the application's JVM (before {@code -jar}; e.g. a compile log).
         *
         * <p>Without the agent the run is the baseline the agent's slopes are read against: the same set-up, the
         * application's own memory and threads. Only the application's invariants, its exit, its stderr and its threads
         * are checked; its memory slopes are reported, not held against anything.
         *
         * <p>Trimming ({@code jcmd System.trim_native_heap}) returns malloc's free memory to the OS: RSS that still
         * grows then is live native memory, not memory malloc retained after a free.
         */
        public Options variant(boolean agent, boolean trim, List<String> flags) {
            return new Options(
                    java,
                    agentJar,
                    appJar,
                    receiverClassPath,
                    out,
                    duration,
                    restartEvery,
                    outage,
                    sampleEvery,
                    warmUp,
                    faultAt,
                    rate,
                    maxSlopeMiBPer10Min,
                    maxThreadGrowth,
                    agent,
                    trim,
                    List.copyOf(flags));
        }
    }

    /**
     * One memory sample. {@code nmt} is Native Memory Tracking's committed KiB by category, "Total" included (empty when
     * the JVM did not answer); {@code codeHeap} the KiB in use in each segment of the code cache, and {@code nmethods}
     * the compiled methods in it; {@code rssKiB} is read after the GC (and the trim, when trimming), {@code
     * rssBeforeKiB} before them.
     */
    record Sample(
            long epochMs,
            long heapAfterGcKiB,
            long metaspaceKiB,
            long rssKiB,
            long rssBeforeKiB,
            int threads,
            long classes,
            Map<String, Long> nmt,
            Map<String, Long> codeHeap,
            long nmethods) {
        /** RSS that Native Memory Tracking does not account for: C heap of native libraries, malloc's own retention. */
        long outsideNmtKiB() {
            return rssKiB - nmt.getOrDefault(NMT_TOTAL, rssKiB);
        }
    }

    static final String NMT_TOTAL = "Total";

    /** The outcome: the report's lines and every breach (empty when the soak passed). */
    public record Outcome(List<String> report, List<String> breaches) {
        public boolean passed() {
            return breaches.isEmpty();
        }
    }

    /** One check of a count: the metric the receiver holds, the dump's counter, the ground-truth field. */
    private record CountCheck(
            String label, Predicate<String> probe, String metric, String dumpSection, String dumpKey, String truth) {}

    private static final List<CountCheck> COUNTS = List.of(
            new CountCheck(
                    "ingress queued", ExportChecks.INGRESS, "hotpath.queue.enqueued", "c", "in", "ingressQueued"),
            new CountCheck(
                    "ingress overflow",
                    ExportChecks.INGRESS,
                    "hotpath.queue.dropped",
                    "c",
                    "dropped",
                    "ingressOverflow"),
            new CountCheck(
                    "ingress dequeued", ExportChecks.INGRESS, "hotpath.queue.dequeued", "c", "out", "ingressDequeued"),
            new CountCheck(
                    "non-empty drains",
                    ExportChecks.INGRESS,
                    "hotpath.queue.batches",
                    "c",
                    "batches",
                    "drainToNonEmptyCalls"),
            new CountCheck(
                    "drained", ExportChecks.INGRESS, "hotpath.queue.batched", "c", "batch_items", "drainToElements"),
            new CountCheck(
                    "batch sizes",
                    ExportChecks.INGRESS,
                    "hotpath.queue.batch.size",
                    "d",
                    "size",
                    "drainToNonEmptyCalls"),
            new CountCheck(
                    "delivered", ExportChecks.SUBSCRIBERS, "hotpath.queue.enqueued", "c", "in", "subscriberDelivered"),
            new CountCheck(
                    "consumed", ExportChecks.SUBSCRIBERS, "hotpath.queue.dequeued", "c", "out", "subscriberConsumed"),
            new CountCheck(
                    "submitted",
                    ExportChecks.POOL,
                    "hotpath.executor.task.submitted",
                    "c",
                    "calls",
                    "dispatchSubmitted"),
            new CountCheck(
                    "rejected",
                    ExportChecks.POOL,
                    "hotpath.executor.task.rejected",
                    "c",
                    "rejected",
                    "dispatchRejected"),
            new CountCheck(
                    "completed", ExportChecks.POOL, "hotpath.executor.task.completed", "c", "out", "dispatchCompleted"),
            new CountCheck(
                    "stats tasks",
                    ExportChecks.FIXED_POOL,
                    "hotpath.executor.task.completed",
                    "c",
                    "out",
                    "fixedPoolTasks"));

    private Soak() {}

    /**
     * {@code Soak --java HOME --agent JAR --app JAR --out DIR [--duration 30m] [--no-agent] [--trim] [--jvm-flag F]...}:
     * the receiver runs on this JVM's own class path; {@code --no-agent} runs the baseline, {@code --trim} trims the C
     * heap before each RSS sample, each {@code --jvm-flag} is one more flag of the application's JVM ({@link
     * Options#variant}). Exit 0 when every check passed, 1 on any breach, 2 on a bad argument.
     */
    public static void main(String[] args) throws Exception {
        final Map<String, String> a = new LinkedHashMap<>(
                Map.of("--java", System.getProperty("java.home"), "--duration", "30m", "--out", "target/soak"));
        boolean withAgent = true;
        boolean trim = false;
        final List<String> jvmFlags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-agent")) {
                withAgent = false;
                continue;
            }
            if (args[i].equals("--trim")) {
                trim = true;
                continue;
            }
            if (!List.of("--java", "--agent", "--app", "--out", "--duration", "--jvm-flag")
                            .contains(args[i])
                    || i + 1 >= args.length) {
                System.err.println("error: unknown option or missing value '" + args[i]
                        + "': allowed --java HOME, --agent JAR, --app JAR, --out DIR, --duration D (e.g. 30m, 90s),"
                        + " --no-agent, --trim, --jvm-flag FLAG (repeatable)");
                System.exit(2);
            }
            if (args[i].equals("--jvm-flag")) {
                jvmFlags.add(args[++i]);
                continue;
            }
            a.put(args[i], args[++i]);
        }
        if (!a.containsKey("--agent") || !a.containsKey("--app")) {
            System.err.println("error: --agent JAR and --app JAR are required");
            System.exit(2);
        }
        final Duration d;
        try {
            d = duration(a.get("--duration"));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        final Options defaults = Options.forDuration(
                Path.of(a.get("--java")),
                Path.of(a.get("--agent")),
                Path.of(a.get("--app")),
                System.getProperty("java.class.path"),
                Path.of(a.get("--out")),
                d);
        final Outcome outcome = run(defaults.variant(withAgent, trim, jvmFlags), System.out);
        System.exit(outcome.passed() ? 0 : 1);
    }

    /** Runs the soak, printing progress and the report to {@code log}; every process started is ended here. */
    public static Outcome run(Options o, PrintStream log) throws IOException, InterruptedException {
        Files.createDirectories(o.out());
        final List<String> report = new ArrayList<>();
        final List<String> breaches = new ArrayList<>();
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final List<Process> started = new ArrayList<>();
        final Thread killer = new Thread(() -> started.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(killer);
        final List<Sample> samples = new ArrayList<>();
        final List<long[]> gcTimes = new ArrayList<>();
        final MachineLoad load = MachineLoad.start();
        int incarnations = 0;
        try {
            Process receiver = startReceiver(o, port, ++incarnations, started);
            final Path dump = o.out().resolve("dump.json");
            final Path appOut = o.out().resolve("app-stdout.txt");
            final Path appErr = o.out().resolve("app-stderr.txt");
            final List<String> cmd =
                    new ArrayList<>(List.of(o.java().resolve("bin/java").toString()));
            if (o.withAgent()) {
                cmd.add("-javaagent:" + o.agentJar().toAbsolutePath());
            }
            cmd.addAll(List.of(
                    "-Xshare:auto",
                    // Native memory by category, in the agent's run and the baseline alike, so that the two differ
                    // only by the agent.
                    "-XX:NativeMemoryTracking=summary",
                    // A fixed, touched heap: RSS then shows what grows besides the heap, not G1 committing and
                    // uncommitting regions after each sampled full GC.
                    "-Xms256m",
                    "-Xmx256m",
                    "-XX:+AlwaysPreTouch",
                    "-Dhotpath.dump.file=" + dump.toAbsolutePath()));
            cmd.addAll(o.jvmFlags());
            cmd.addAll(List.of(
                    "-jar",
                    o.appJar().toAbsolutePath().toString(),
                    "--scenario",
                    "soak",
                    "--rate",
                    Integer.toString(o.rate()),
                    "--duration",
                    o.duration().toMillis() + "ms",
                    "--quiet",
                    "--fault",
                    FAULT,
                    "--fault-at",
                    o.faultAt().toMillis() + "ms"));
            final ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectOutput(appOut.toFile()).redirectError(appErr.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("HOTPATH_") || k.startsWith("OTEL_"));
            pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port);
            pb.environment().put("OTEL_METRIC_EXPORT_INTERVAL", "5000");
            log.printf(
                    "soak: %s on %s for %s, receiver on 127.0.0.1:%d killed every %s for %s, fault %s at %s%n",
                    "reference broadcaster --scenario soak --rate " + o.rate()
                            + (o.withAgent() ? " with the agent" : " WITHOUT the agent (baseline)")
                            + (o.trimNativeHeap() ? ", C heap trimmed before each RSS sample" : ""),
                    Jdks.label(o.java()),
                    o.duration(),
                    port,
                    o.restartEvery(),
                    o.outage(),
                    FAULT,
                    o.faultAt());
            final long startMs = System.currentTimeMillis();
            final long startNs = System.nanoTime();
            final Process app = pb.start();
            started.add(app);
            final long endNs = startNs + o.duration().toNanos();
            final long deadlineNs = endNs + TimeUnit.MINUTES.toNanos(3);
            long nextSample = startNs + o.sampleEvery().toNanos();
            long nextKill = startNs + o.restartEvery().toNanos();
            long restartAt = Long.MAX_VALUE;
            int kills = 0;
            while (app.isAlive() && System.nanoTime() - deadlineNs < 0) {
                final long now = System.nanoTime();
                if (now - nextSample >= 0) {
                    nextSample += o.sampleEvery().toNanos();
                    final Sample s = sample(o, app.pid(), gcTimes);
                    if (s != null) {
                        samples.add(s);
                    }
                }
                // The last incarnation stays up for the last half restart period, to receive the final export.
                if (restartAt == Long.MAX_VALUE
                        && now - nextKill >= 0
                        && endNs - now > o.restartEvery().toNanos() / 2) {
                    receiver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    kills++;
                    restartAt = now + o.outage().toNanos();
                    log.printf(
                            "soak: %3d s receiver %d killed%n",
                            TimeUnit.NANOSECONDS.toSeconds(now - startNs), incarnations);
                }
                if (now - restartAt >= 0) {
                    restartAt = Long.MAX_VALUE;
                    nextKill = now + o.restartEvery().toNanos();
                    receiver = startReceiver(o, port, ++incarnations, started);
                    log.printf(
                            "soak: %3d s receiver %d started%n",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs), incarnations);
                }
                Thread.sleep(200);
            }
            if (app.isAlive()) {
                breaches.add("the application did not exit within 3 minutes of its planned end: killed");
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (restartAt != Long.MAX_VALUE) {
                breaches.add("the application exited while the receiver was down; the last export had nowhere to go");
            }
            // The app's final export is in; the receiver rewrites its summary within 500 ms, and at a normal exit.
            Thread.sleep(1000);
            receiver.destroy();
            if (!receiver.waitFor(20, TimeUnit.SECONDS)) {
                receiver.destroyForcibly();
            }
            final int exit = app.exitValue();
            final long tookS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs);
            report.add(String.format(
                    Locale.ROOT,
                    "run: %s, %s, %d s, exit %d, receiver killed %d times (%d incarnations)",
                    o.withAgent() ? "with the agent" : "baseline without the agent",
                    Jdks.label(o.java()),
                    tookS,
                    exit,
                    kills,
                    incarnations));
            if (exit != 0) {
                breaches.add("the application exited " + exit);
            }
            Files.write(o.out().resolve("samples.tsv"), tsv(samples), StandardCharsets.UTF_8);
            load.stop();
            check(o, startMs, incarnations, dump, appOut, appErr, samples, gcTimes, load, report, breaches);
        } finally {
            load.stop();
            for (Process p : started) {
                p.destroyForcibly();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running anyway
            }
        }
        report.add(breaches.isEmpty() ? "SOAK PASSED" : "SOAK FAILED: " + breaches.size() + " breach(es)");
        breaches.forEach(b -> report.add("BREACH " + b));
        Files.write(o.out().resolve("report.txt"), report, StandardCharsets.UTF_8);
        report.forEach(log::println);
        return new Outcome(report, breaches);
    }

    private static void check(
            Options o,
            long startMs,
            int incarnations,
            Path dumpFile,
            Path appOut,
            Path appErr,
            List<Sample> samples,
            List<long[]> gcTimes,
            MachineLoad load,
            List<String> report,
            List<String> breaches)
            throws IOException {
        final String stdout = Files.readString(appOut);
        final String stderr = Files.readString(appErr);
        final String truthLine = stdout.lines()
                .filter(l -> l.startsWith("GROUND-TRUTH "))
                .findFirst()
                .orElse(null);
        if (truthLine == null || (o.withAgent() && !Files.exists(dumpFile))) {
            breaches.add("no ground truth or no dump: see " + appOut + " and " + appErr);
            return;
        }
        final GroundTruth truth = new GroundTruth(Json.object(truthLine.substring("GROUND-TRUTH ".length())));
        if (!truth.invariantsOk()) {
            breaches.add("the application's own invariants failed: " + truthLine);
        }
        if (o.withAgent()) {
            checkCounts(o, incarnations, truth, Json.object(Files.readString(dumpFile)), report, breaches);
        }
        final long onset = stdout.lines()
                .filter(l -> l.startsWith("FAULT-ONSET "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[2]))
                .findFirst()
                .orElse(startMs + o.faultAt().toMillis());
        checkMemory(o, startMs, onset, samples, report, breaches);
        if (o.withAgent()) {
            checkFindings(dumpFile, onset, gcTimes, load, report, breaches);
        }
        checkStderr(stderr, report, breaches);
    }

    /** Counts: dump, ground truth and the last receiver incarnation, exactly; earlier incarnations never ahead. */
    private static void checkCounts(
            Options o,
            int incarnations,
            GroundTruth truth,
            Map<String, Object> dump,
            List<String> report,
            List<String> breaches)
            throws IOException {
        final List<Map<String, String[]>> received = new ArrayList<>();
        for (int i = 1; i <= incarnations; i++) {
            received.add(readSummary(o.out().resolve("receiver-" + i + ".tsv")));
        }
        final Map<String, String[]> last = received.get(received.size() - 1);
        int survived = 0;
        for (int i = 0; i < received.size(); i++) {
            if (!received.get(i).isEmpty()) {
                survived++;
            }
        }
        report.add(String.format(
                Locale.ROOT,
                "receiver: %d of %d incarnations received metrics; the last got %s requests",
                survived,
                incarnations,
                last.containsKey("requests") ? last.get("requests")[0] : "no"));
        report.add(String.format(Locale.ROOT, "%-18s %14s %14s %14s", "count", "truth", "dump", "receiver"));
        for (CountCheck c : COUNTS) {
            final long want = truth.get(c.truth());
            final Long inDump = dumpValue(dump, c);
            final String[] point = find(last, c);
            final Long atReceiver = point == null ? null : Long.parseLong(point[0]);
            report.add(String.format(Locale.ROOT, "%-18s %14d %14s %14s", c.label(), want, inDump, atReceiver));
            if (inDump == null || inDump != want) {
                breaches.add(c.label() + ": dump " + inDump + " != ground truth " + want);
            }
            if (atReceiver == null || atReceiver != want) {
                breaches.add(c.label() + ": receiver " + atReceiver + " != ground truth " + want);
            }
            for (int i = 0; i + 1 < received.size(); i++) {
                final String[] before = find(received.get(i), c);
                final String[] after = find(received.get(i + 1), c);
                if (before != null
                        && after != null
                        && (Long.parseLong(before[0]) > Long.parseLong(after[0]) || !before[1].equals(after[1]))) {
                    breaches.add(c.label() + ": receiver " + (i + 1) + " holds " + before[0] + " since " + before[1]
                            + ", receiver " + (i + 2) + " " + after[0] + " since " + after[1]
                            + ": a cumulative series went back or restarted");
                }
            }
        }
    }

    /** Memory and threads between the warm-up and the fault. */
    private static void checkMemory(
            Options o, long startMs, long onset, List<Sample> samples, List<String> report, List<String> breaches) {
        final List<Sample> window = samples.stream()
                .filter(s -> s.epochMs() >= startMs + o.warmUp().toMillis() && s.epochMs() < onset)
                .toList();
        if (window.size() < 5) {
            breaches.add("only " + window.size() + " memory samples between warm-up and fault (" + samples.size()
                    + " in all): too few for a slope");
        } else {
            final double heap = slopeMiBPer10Min(window, Sample::heapAfterGcKiB);
            final double rss = slopeMiBPer10Min(window, Sample::rssKiB);
            // JDK 25's GC.heap_info no longer prints Metaspace: -1 there, and no slope.
            final double meta =
                    window.get(0).metaspaceKiB() < 0 ? Double.NaN : slopeMiBPer10Min(window, Sample::metaspaceKiB);
            final Sample first = window.get(0);
            final Sample lastS = window.get(window.size() - 1);
            report.add(String.format(
                    Locale.ROOT,
                    "memory over %d samples from %d s to %d s: heap after GC %d -> %d KiB, slope %+.3f MiB/10 min;"
                            + " RSS %d -> %d KiB, slope %+.3f MiB/10 min; metaspace %d -> %d KiB, slope %+.3f"
                            + " MiB/10 min (limit %.1f)",
                    window.size(),
                    (first.epochMs() - startMs) / 1000,
                    (lastS.epochMs() - startMs) / 1000,
                    first.heapAfterGcKiB(),
                    lastS.heapAfterGcKiB(),
                    heap,
                    first.rssKiB(),
                    lastS.rssKiB(),
                    rss,
                    first.metaspaceKiB(),
                    lastS.metaspaceKiB(),
                    meta,
                    o.maxSlopeMiBPer10Min()));
            // Metaspace that grows while the class count stays flat is per-method data (the JIT's profiles and
            // counters of methods warming up), not classes made at run time; the count tells the two apart.
            report.add(String.format(
                    Locale.ROOT,
                    "classes loaded (all loaders, hidden included) over the same samples: %d -> %d",
                    first.classes(),
                    lastS.classes()));
            report.add(nmtSlopes(window));
            report.add(codeHeapSlopes(window));
            // Over a window shorter than 10 minutes a slope says little: RSS still grows while the JIT fills the code
            // cache and malloc arenas settle, and the heap after GC moves by the few hundred KiB of messages a burst
            // leaves queued, which a 2-minute window multiplies by 5. Short runs fail only on a gross leak.
            final boolean longWindow = lastS.epochMs() - first.epochMs() >= TimeUnit.MINUTES.toMillis(10);
            final double heapLimit = longWindow ? o.maxSlopeMiBPer10Min() : SHORT_RUN_HEAP_LIMIT;
            // The baseline's slopes are the application's own: reported beside the agent's, not a breach of its.
            if (o.withAgent() && heap >= heapLimit) {
                breaches.add(String.format(
                        Locale.ROOT, "heap after GC grows %.3f MiB/10 min (limit %.1f)", heap, heapLimit));
            }
            final double rssLimit = longWindow ? o.maxSlopeMiBPer10Min() : SHORT_RUN_RSS_LIMIT;
            if (o.withAgent() && rss >= rssLimit) {
                breaches.add(String.format(Locale.ROOT, "RSS grows %.3f MiB/10 min (limit %.1f)", rss, rssLimit));
            }
            final int minThreads =
                    window.stream().mapToInt(Sample::threads).min().orElse(0);
            final int maxThreads =
                    window.stream().mapToInt(Sample::threads).max().orElse(0);
            report.add(String.format(
                    Locale.ROOT,
                    "threads: %d at the start of the window, %d at its end, min %d, max %d (allowed growth %d)",
                    first.threads(),
                    lastS.threads(),
                    minThreads,
                    maxThreads,
                    o.maxThreadGrowth()));
            if (maxThreads - first.threads() > o.maxThreadGrowth()) {
                breaches.add("live threads grew from " + first.threads() + " to " + maxThreads);
            }
        }
    }

    /**
     * Native Memory Tracking's committed memory over the window: the total, the RSS it does not account for (native
     * libraries' C heap, malloc's retained free memory) and every category that moved, largest slope first.
     */
    static String nmtSlopes(List<Sample> window) {
        final Sample first = window.get(0);
        if (first.nmt().isEmpty()) {
            return "native memory tracking: no summary from the JVM";
        }
        final Sample last = window.get(window.size() - 1);
        final List<Map.Entry<String, Double>> slopes = new ArrayList<>();
        for (String category : first.nmt().keySet()) {
            if (!category.equals(NMT_TOTAL)) {
                slopes.add(Map.entry(
                        category, slopeMiBPer10Min(window, s -> s.nmt().getOrDefault(category, 0L))));
            }
        }
        slopes.sort((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue())));
        return String.format(
                Locale.ROOT,
                "native memory tracking, committed: total %d -> %d KiB, slope %+.3f MiB/10 min; RSS outside it %d ->"
                        + " %d KiB, slope %+.3f MiB/10 min; by category (MiB/10 min) %s",
                first.nmt().get(NMT_TOTAL),
                last.nmt().getOrDefault(NMT_TOTAL, -1L),
                slopeMiBPer10Min(window, s -> s.nmt().getOrDefault(NMT_TOTAL, 0L)),
                first.outsideNmtKiB(),
                last.outsideNmtKiB(),
                slopeMiBPer10Min(window, Sample::outsideNmtKiB),
                slopes.stream()
                        .filter(e -> Math.abs(e.getValue()) >= 0.0005)
                        .map(e -> String.format(Locale.ROOT, "%s %+.3f", e.getKey(), e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", ")));
    }

    /**
     * The code cache over the window, segment by segment: what NMT's Code category commits is the JIT's output, and the
     * segments tell C1's profiled code from C2's and C1's unprofiled code and from the stubs.
     */
    static String codeHeapSlopes(List<Sample> window) {
        final Sample first = window.get(0);
        if (first.codeHeap().isEmpty()) {
            return "code heap: no Compiler.codecache from the JVM";
        }
        final Sample last = window.get(window.size() - 1);
        return String.format(
                Locale.ROOT,
                "code heap in use: %s; nmethods %d -> %d",
                first.codeHeap().keySet().stream()
                        .map(segment -> String.format(
                                Locale.ROOT,
                                "%s %d -> %d KiB, slope %+.3f MiB/10 min",
                                segment,
                                first.codeHeap().get(segment),
                                last.codeHeap().getOrDefault(segment, -1L),
                                slopeMiBPer10Min(window, s -> s.codeHeap().getOrDefault(segment, 0L))))
                        .collect(java.util.stream.Collectors.joining("; ")),
                first.nmethods(),
                last.nmethods());
    }

    /** Findings: nothing above info before the onset; after it only the fault's own. */
    private static void checkFindings(
            Path dumpFile,
            long onset,
            List<long[]> gcTimes,
            MachineLoad load,
            List<String> report,
            List<String> breaches)
            throws IOException {
        final AnalyzerFindings findings = AnalyzerFindings.read(dumpFile);
        boolean faultFound = false;
        final List<String> ownGc = new ArrayList<>();
        final List<String> starved = new ArrayList<>();
        for (Map<String, Object> f : findings.aboveInfo()) {
            final long detected = ((Number) f.get("detected_ms")).longValue();
            final long firstSeen = ((Number) f.get("first_seen_ms")).longValue();
            final boolean isFault =
                    FAULT_KINDS.contains(String.valueOf(f.get("kind"))) && FAULT_PROBE.equals(f.get("probe"));
            if (detected < onset && duringOwnGc(firstSeen, gcTimes)) {
                // The soak's own full GC stops the application; under load the queues back up behind it, and the
                // analyzer rightly sees it. Listed, not held against the agent.
                ownGc.add(f.get("kind") + " on " + f.get("probe"));
            } else if (detected < onset && load.overloadedAround(firstSeen)) {
                // Other processes held every CPU: the application's consumers really fell behind, for a cause outside
                // it. Listed, not held against the agent; the report says how much of the run that was.
                starved.add(f.get("kind") + " on " + f.get("probe"));
            } else if (detected < onset) {
                breaches.add("finding before the fault's onset: " + f);
            } else if (isFault) {
                faultFound = true;
            } else if (!String.valueOf(f.get("probe")).startsWith(PIPELINE) && load.overloadedAround(firstSeen)) {
                starved.add(f.get("kind") + " on " + f.get("probe"));
            } else if (!String.valueOf(f.get("probe")).startsWith(PIPELINE)) {
                breaches.add("finding after the onset outside the fault's pipeline: " + f);
            }
        }
        report.add(String.format(
                Locale.ROOT,
                "findings above info: %d (%s); injected fault %s %s on %s %s",
                findings.aboveInfo().size(),
                findings.aboveInfo().stream()
                        .map(f -> f.get("kind") + " on " + f.get("probe") + " at +"
                                + (((Number) f.get("detected_ms")).longValue() - onset) + " ms")
                        .toList(),
                FAULT,
                String.join(" or ", new java.util.TreeSet<>(FAULT_KINDS)),
                FAULT_PROBE,
                faultFound ? "found" : "NOT found"));
        if (!faultFound) {
            breaches.add("the injected fault was not reported: " + FAULT_KINDS + " on " + FAULT_PROBE);
        }
        report.add("findings before the onset that began during a sampling full GC (" + gcTimes.size() + " GCs run): "
                + ownGc);
        report.add(String.format(
                Locale.ROOT,
                "machine: all CPUs >= %.0f%% busy in %.0f%% of the seconds of the run, run queue %.1f on average;"
                        + " findings that began then (before the onset, or off the fault's pipeline): %s",
                OVERLOADED * 100,
                load.overloadedShare() * 100,
                load.meanRunning(),
                starved));
    }

    /** The application's stderr: no exception trace; the agent warns only about alerts and the receiver outages. */
    private static void checkStderr(String stderr, List<String> report, List<String> breaches) {
        final List<String> traces = stderr.lines()
                .filter(l -> l.startsWith("Exception in thread") || l.startsWith("\tat ") || l.startsWith("Caused by"))
                .limit(5)
                .toList();
        if (!traces.isEmpty()) {
            breaches.add("exception traces on the application's stderr: " + traces);
        }
        final List<String> warnings = stderr.lines()
                .filter(l -> l.startsWith("[hotpath]") && (l.contains(" WARN ") || l.contains(" ERROR ")))
                .toList();
        final List<String> unexpected = warnings.stream()
                .filter(l -> !l.contains(" alert ") && !l.contains("export"))
                .toList();
        report.add("agent warnings: " + warnings.size() + " (alerts and export outages), unexpected: "
                + unexpected.size());
        if (!unexpected.isEmpty()) {
            breaches.add("unexpected agent warnings: " + unexpected.subList(0, Math.min(5, unexpected.size())));
        }
    }

    @SuppressWarnings("unchecked")
    private static Long dumpValue(Map<String, Object> dump, CountCheck c) {
        for (Map<String, Object> p : (List<Map<String, Object>>) dump.get("probes")) {
            if (c.probe().test((String) p.get("name"))) {
                final Object v = c.dumpSection().equals("c")
                        ? ((Map<String, Object>) p.get("counters")).get(c.dumpKey())
                        : ((Map<String, Object>) p.get(c.dumpKey())).get("count");
                return v == null ? null : ((Number) v).longValue();
            }
        }
        return null;
    }

    /** The receiver's point for a check: {value, start}; null if none. */
    private static String[] find(Map<String, String[]> summary, CountCheck c) {
        for (Map.Entry<String, String[]> e : summary.entrySet()) {
            final String[] key = e.getKey().split("\t", -1);
            if (key.length == 2 && key[0].equals(c.metric()) && c.probe().test(key[1])) {
                return e.getValue();
            }
        }
        return null;
    }

    /** metric TAB probe -> {value, start}; and "requests" -> {N}. */
    private static Map<String, String[]> readSummary(Path file) throws IOException {
        final Map<String, String[]> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            final String[] f = line.split("\t", -1);
            if (f[0].equals("requests")) {
                if (!f[1].equals("0")) {
                    out.put("requests", new String[] {f[1]});
                }
            } else if (f.length == 6) {
                out.put(f[1] + "\t" + f[2], new String[] {f[3], f[4]});
            }
        }
        return out;
    }

    private static Process startReceiver(Options o, int port, int incarnation, List<Process> started)
            throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(
                        o.java().resolve("bin/java").toString(),
                        "-Xmx64m",
                        "-cp",
                        o.receiverClassPath(),
                        SoakReceiverMain.class.getName(),
                        Integer.toString(port),
                        o.out().resolve("receiver-" + incarnation + ".tsv").toString())
                .redirectErrorStream(true)
                .redirectOutput(
                        o.out().resolve("receiver-" + incarnation + ".log").toFile())
                .start();
        started.add(p);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0 && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("receiver " + incarnation + " did not listen on port " + port + " within 30 s; see "
                + o.out().resolve("receiver-" + incarnation + ".log"));
    }

    /**
     * A full GC (and a trim of the C heap when {@link Options#trimNativeHeap}), then heap in use, metaspace, classes and
     * Native Memory Tracking's committed memory (jcmd), RSS and threads (/proc); null if jcmd failed.
     */
    private static Sample sample(Options o, long pid, List<long[]> gcTimes) throws IOException, InterruptedException {
        final Path commands = o.out().resolve("jcmd-commands.txt");
        if (!Files.exists(commands)) {
            Files.writeString(
                    commands,
                    "GC.run\n" + (o.trimNativeHeap() ? "System.trim_native_heap\n" : "")
                            + "GC.heap_info\nVM.classloader_stats\nVM.native_memory summary\nCompiler.codecache\n");
        }
        final long[] before = procStatus(pid);
        final long gcStart = System.currentTimeMillis();
        final Process jcmd = new ProcessBuilder(
                        o.java().resolve("bin/jcmd").toString(), Long.toString(pid), "-f", commands.toString())
                .redirectErrorStream(true)
                .start();
        final String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final boolean done = jcmd.waitFor(30, TimeUnit.SECONDS);
        gcTimes.add(new long[] {gcStart, System.currentTimeMillis()});
        if (!done) {
            jcmd.destroyForcibly();
            return null;
        }
        final Matcher heap = HEAP_USED.matcher(text);
        final Matcher meta = METASPACE_USED.matcher(text);
        if (!heap.find()) {
            return null;
        }
        final long metaspace = meta.find() ? Long.parseLong(meta.group(1)) : -1;
        final Matcher classes = CLASSES.matcher(text);
        final long classCount = classes.find() ? Long.parseLong(classes.group(1)) : -1;
        final Matcher nmethods = NMETHODS.matcher(text);
        final long[] after = procStatus(pid);
        if (before == null || after == null) {
            return null;
        }
        return new Sample(
                System.currentTimeMillis(),
                Long.parseLong(heap.group(1)),
                metaspace,
                after[0],
                before[0],
                (int) after[1],
                classCount,
                nmt(text),
                codeHeap(text),
                nmethods.find() ? Long.parseLong(nmethods.group(1)) : -1);
    }

    /** KiB in use by code heap segment from {@code Compiler.codecache}; empty when absent. */
    static Map<String, Long> codeHeap(String jcmdOutput) {
        final Map<String, Long> used = new LinkedHashMap<>();
        final Matcher segment = CODE_HEAP.matcher(jcmdOutput);
        while (segment.find()) {
            used.put(segment.group(1), Long.parseLong(segment.group(2)));
        }
        return used;
    }

    /** Committed KiB by category from {@code VM.native_memory summary}, "Total" included; empty when absent. */
    static Map<String, Long> nmt(String jcmdOutput) {
        final Map<String, Long> committed = new LinkedHashMap<>();
        final Matcher total = NMT_TOTAL_LINE.matcher(jcmdOutput);
        if (!total.find()) {
            return committed;
        }
        committed.put(NMT_TOTAL, Long.parseLong(total.group(1)));
        final Matcher category = NMT_CATEGORY.matcher(jcmdOutput);
        while (category.find()) {
            committed.put(category.group(1).trim(), Long.parseLong(category.group(2)));
        }
        return committed;
    }

    /** {VmRSS KiB, live threads} of a process from /proc; null when it is gone. */
    private static long[] procStatus(long pid) {
        long rss = -1;
        long threads = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
                } else if (l.startsWith("Threads:")) {
                    threads = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException gone) {
            return null;
        }
        return new long[] {rss, threads};
    }

    /**
     * The whole machine's CPU use, from {@code /proc/stat} once a second on a daemon thread: the share of all CPUs' time
     * not idle, and the number of runnable threads.
     */
    static final class MachineLoad {
        private final List<double[]> seconds = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean stopped;

        static MachineLoad start() {
            final MachineLoad m = new MachineLoad();
            final Thread t = new Thread(m::run, "soak-machine-load");
            t.setDaemon(true);
            t.start();
            return m;
        }

        void stop() {
            stopped = true;
        }

        private void run() {
            long[] last = read();
            while (!stopped && last != null) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                final long[] now = read();
                if (now == null) {
                    return;
                }
                final double total = now[0] - last[0];
                final double idle = now[1] - last[1];
                seconds.add(new double[] {System.currentTimeMillis(), total <= 0 ? 0 : 1 - idle / total, now[2]});
                last = now;
            }
        }

        /** {total jiffies, idle + iowait jiffies, procs_running}; null where there is no /proc/stat. */
        private static long[] read() {
            try {
                long total = 0;
                long idle = 0;
                long running = 0;
                for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
                    if (l.startsWith("cpu ")) {
                        final String[] f = l.trim().split("\\s+");
                        for (int i = 1; i < f.length && i <= 8; i++) {
                            total += Long.parseLong(f[i]);
                        }
                        idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                    } else if (l.startsWith("procs_running ")) {
                        running = Long.parseLong(
                                l.substring("procs_running ".length()).trim());
                    }
                }
                return new long[] {total, idle, running};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** Whether all CPUs were overloaded in a second from 3 s before to 1 s after {@code epochMs}. */
        boolean overloadedAround(long epochMs) {
            for (double[] s : seconds) {
                if (s[0] >= epochMs - 3000 && s[0] <= epochMs + 1000 && s[1] >= OVERLOADED) {
                    return true;
                }
            }
            return false;
        }

        double overloadedShare() {
            return seconds.isEmpty()
                    ? 0
                    : seconds.stream().filter(s -> s[1] >= OVERLOADED).count() / (double) seconds.size();
        }

        double meanRunning() {
            return seconds.stream().mapToDouble(s -> s[2]).average().orElse(0);
        }
    }

    /** Whether a finding first seen at {@code firstSeenMs} began during one of the soak's GCs or within 3 s after. */
    static boolean duringOwnGc(long firstSeenMs, List<long[]> gcTimes) {
        for (long[] gc : gcTimes) {
            if (firstSeenMs >= gc[0] && firstSeenMs <= gc[1] + OWN_GC_SHADOW_MS) {
                return true;
            }
        }
        return false;
    }

    /** Least-squares slope of a KiB series against time, in MiB per 10 minutes. */
    static double slopeMiBPer10Min(List<Sample> samples, java.util.function.ToLongFunction<Sample> kib) {
        final int n = samples.size();
        double mx = 0;
        double my = 0;
        for (Sample s : samples) {
            mx += s.epochMs();
            my += kib.applyAsLong(s);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (Sample s : samples) {
            final double dx = s.epochMs() - mx;
            sxy += dx * (kib.applyAsLong(s) - my);
            sxx += dx * dx;
        }
        final double kibPerMs = sxx == 0 ? 0 : sxy / sxx;
        return kibPerMs * 600_000 / 1024;
    }

    private static List<String> tsv(List<Sample> samples) {
        final List<String> categories = new ArrayList<>();
        final List<String> segments = new ArrayList<>();
        for (Sample s : samples) {
            s.nmt().keySet().stream().filter(c -> !categories.contains(c)).forEach(categories::add);
            s.codeHeap().keySet().stream().filter(c -> !segments.contains(c)).forEach(segments::add);
        }
        final List<String> lines = new ArrayList<>();
        lines.add("epoch_ms\theap_after_gc_kib\tmetaspace_kib\trss_kib\trss_before_gc_kib\tthreads\tclasses"
                + categories.stream()
                        .map(c -> "\tnmt_" + c.toLowerCase(Locale.ROOT).replace(' ', '_') + "_kib")
                        .collect(java.util.stream.Collectors.joining())
                + segments.stream()
                        .map(c -> "\tcode_heap_" + c.toLowerCase(Locale.ROOT).replace(' ', '_') + "_kib")
                        .collect(java.util.stream.Collectors.joining())
                + "\tnmethods");
        for (Sample s : samples) {
            final List<Object> fields = new ArrayList<>(List.of(
                    s.epochMs(),
                    s.heapAfterGcKiB(),
                    s.metaspaceKiB(),
                    s.rssKiB(),
                    s.rssBeforeKiB(),
                    s.threads(),
                    s.classes()));
            categories.forEach(c -> fields.add(s.nmt().getOrDefault(c, -1L)));
            segments.forEach(c -> fields.add(s.codeHeap().getOrDefault(c, -1L)));
            fields.add(s.nmethods());
            lines.add(fields.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("\t")));
        }
        return lines;
    }

    /** {@code 30m}, {@code 90s}, {@code 1h}, {@code 500ms}. */
    static Duration duration(String text) {
        final Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "--duration '" + text + "' is not a duration: allowed a whole number with ms, s, m or h, e.g. 30m");
        }
        final long v = Long.parseLong(m.group(1));
        final Duration d =
                switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(v);
                    case "s" -> Duration.ofSeconds(v);
                    case "m" -> Duration.ofMinutes(v);
                    default -> Duration.ofHours(v);
                };
        if (d.compareTo(Duration.ofMinutes(2)) < 0) {
            throw new IllegalArgumentException(
                    "--duration '" + text + "' is too short: allowed 2m or more (warm-up, samples and a fault)");
        }
        return d;
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
