package io.hotpath.benchmarks;

import benchapp.ProbedMethods;
import benchapp.QueueSites;
import io.hotpath.benchmarks.ipc.AeronOfferBenchmark;
import io.hotpath.benchmarks.ipc.NettyWriteBenchmark;
import io.hotpath.benchmarks.program.Cli;
import io.hotpath.benchmarks.report.Machine;
import io.hotpath.benchmarks.report.MachineLoad;
import io.hotpath.benchmarks.report.MarkdownReport;
import io.hotpath.benchmarks.report.Measured;
import io.hotpath.benchmarks.report.RunSamples;
import io.hotpath.benchmarks.report.StartupSamples;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the suite through the JMH Runner API and prints (and optionally writes) the comparison: the core benchmarks
 * once without an agent, the queue and end-to-end benchmarks ({@link #END_TO_END}) once per {@link AgentSetup} (no
 * agent, then hotpath, interleaved per benchmark so that drift of the machine hits both alike), every run with the gc
 * profiler. The whole-program harnesses ({@code program.MooBenchRunner}, {@code program.ThroughputRunner}) and the
 * start-up runs are run by benchmarks/run.sh before this; their sample files are read for the report.
 *
 * <p>Each benchmark runs as its own JMH run so that the CPU time other processes took meanwhile can be charged to it
 * ({@link MachineLoad}); with {@code --retries N} a benchmark during which others took more than
 * {@code --quiet-share} of the machine is run again, up to N more times, and the quietest attempt is kept.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.BenchmarkMain \
 *     --mode quick --agent agent/target/hotpath-agent.jar [--suites core,queue,e2e] [--forks N]
 *     [--retries N] [--quiet-share 0.10] [--startup startup.tsv] [--moobench moobench.tsv]
 *     [--throughput throughput.tsv] [--report BENCHMARKS.md] [--results DIR]
 *     [--command "benchmarks/run.sh --quick"] [--note "text for the report"]...
 * </pre>
 *
 * Forks run on the JVM running this class. Without {@code --agent} only the no-agent setup runs.
 */
public final class BenchmarkMain {
    /** Every fork gets the same fixed heap, so the setups differ only in what they attach. */
    private static final String[] FORK_JVM_ARGS = {"-Xms512m", "-Xmx512m"};

    private static final List<String> QUEUE_BENCHMARKS = List.of("offerPoll", "producerConsumer");

    /** Suites {@code --suites} accepts. */
    private static final List<String> SUITES = List.of("core", "queue", "e2e");

    /**
     * The end-to-end suite ({@code e2e}): instrumented application paths, each run without and with the agent. A
     * {@code ProbeBenchmark} fork with the agent also declares the probe on the benchmarked method.
     */
    static final List<EndToEnd> END_TO_END = List.of(
            new EndToEnd(ProbeBenchmark.class, "call1Thread"),
            new EndToEnd(ProbeBenchmark.class, "call2Threads"),
            new EndToEnd(ExecutorBenchmark.class, "execute"),
            new EndToEnd(NettyWriteBenchmark.class, "writeAndFlush"),
            new EndToEnd(AeronOfferBenchmark.class, "offer"));

    /** Agrona (Aeron) reads jdk.internal.misc.Unsafe; harmless for the other end-to-end benchmarks. */
    private static final String ADD_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /** One benchmark method of the end-to-end suite. */
    record EndToEnd(Class<?> type, String benchmark) {}

    /** One JMH run: one benchmark, one parameter set, one setup, plus arguments only this benchmark needs. */
    private record Job(
            AgentSetup setup,
            Class<?> type,
            String benchmark,
            String queue,
            int forks,
            int warmupSeconds,
            List<String> extraArgs) {
        String label() {
            return type.getSimpleName() + "." + benchmark + (queue == null ? "" : "-" + queue) + "-" + setup.name();
        }
    }

    private BenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        Cli.main("BenchmarkMain", new Arguments(), args, a -> run(a.checked()));
    }

    private static void run(Arguments a) throws Exception {
        final List<String> notes = new ArrayList<>();
        final List<AgentSetup> setups = new ArrayList<>();
        setups.add(AgentSetup.none());
        if (a.agentJar != null) {
            setups.add(AgentSetup.hotpath(a.agentJar));
        } else {
            notes.add("No agent jar given: only the no-agent setup ran.");
        }
        // Extension point: a peer agent (e.g. the OpenTelemetry Java agent) is added here as one more AgentSetup.

        final List<Job> jobs = new ArrayList<>();
        if (a.suites.contains("queue")) {
            for (String queue : a.queues) {
                final List<AgentSetup> able = new ArrayList<>();
                for (AgentSetup setup : setups) {
                    final String missing = missingTrackedClass(setup, a.agentJar, queue);
                    if (missing == null) {
                        able.add(setup);
                    } else {
                        notes.add(missing);
                    }
                }
                for (String benchmark : QUEUE_BENCHMARKS) {
                    for (AgentSetup setup : able) {
                        jobs.add(new Job(
                                setup,
                                QueueBenchmark.class,
                                benchmark,
                                queue,
                                a.plan.queueForks(),
                                a.plan.warmupSeconds(),
                                List.of()));
                    }
                }
            }
        }
        if (a.suites.contains("core")) {
            for (String method : coreMethods()) {
                jobs.add(new Job(
                        AgentSetup.none(),
                        CoreBenchmark.class,
                        method,
                        null,
                        a.plan.coreForks(),
                        a.plan.coreWarmupSeconds(),
                        List.of()));
            }
        }
        if (a.suites.contains("e2e")) {
            for (EndToEnd e : END_TO_END) {
                for (AgentSetup setup : setups) {
                    final List<String> extra = new ArrayList<>(List.of(ADD_EXPORTS));
                    if (e.type() == ProbeBenchmark.class && setup.queues() == AgentSetup.QueueClass.TRACKED) {
                        extra.add("-Dhotpath.probes=" + ProbedMethods.PROBE);
                    }
                    jobs.add(new Job(
                            setup,
                            e.type(),
                            e.benchmark(),
                            null,
                            a.plan.endToEndForks(),
                            a.plan.coreWarmupSeconds(),
                            extra));
                }
            }
        }
        final List<Measured> results = new ArrayList<>();
        final Instant started = Instant.now();
        final MachineLoad whole = MachineLoad.now();
        for (int i = 0; i < jobs.size(); i++) {
            final Job job = jobs.get(i);
            System.out.printf(Locale.ROOT, "%n>>> [%d/%d] %s%n", i + 1, jobs.size(), job.label());
            final Measured m = runQuietest(a, job);
            if (m == null) {
                notes.add(job.label() + ": no result (the fork failed; see the console output).");
            } else {
                results.add(m);
            }
        }
        final MachineLoad.Usage usage = whole.since();
        if (usage != null && !jobs.isEmpty()) {
            notes.add(usage.describe("the JMH runs"));
        }
        notes.add("Every fork runs with " + String.join(" ", FORK_JVM_ARGS) + " plus its setup's arguments.");
        notes.addAll(a.extraNotes);
        StartupSamples startup = null;
        if (a.startupFile != null) {
            try {
                startup = StartupSamples.read(a.startupFile);
            } catch (IOException | RuntimeException e) {
                notes.add("Start-up samples in " + a.startupFile + " could not be read: " + e);
            }
        }
        final RunSamples moobench = readSamples(a.moobenchFile, "MooBench", notes);
        final RunSamples throughput = readSamples(a.throughputFile, "Throughput", notes);
        final MarkdownReport report = new MarkdownReport(
                a.command,
                started,
                a.plan,
                Machine.current(),
                a.agentJar,
                setups,
                results,
                startup,
                moobench,
                throughput,
                notes);
        final String markdown = report.render();
        System.out.println();
        System.out.println(markdown);
        if (a.reportFile != null) {
            Files.writeString(a.reportFile, markdown, StandardCharsets.UTF_8);
            System.out.println("wrote " + a.reportFile);
        }
    }

    private static RunSamples readSamples(Path file, String what, List<String> notes) {
        if (file == null) {
            return null;
        }
        try {
            return RunSamples.read(file);
        } catch (IOException | RuntimeException e) {
            notes.add(what + " samples in " + file + " could not be read: " + e);
            return null;
        }
    }

    /** Benchmark methods of CoreBenchmark: the listed order first, then any not listed. */
    private static List<String> coreMethods() {
        final Set<String> methods = new LinkedHashSet<>();
        CoreCases.ALL.forEach(c -> methods.add(c.method()));
        final List<String> unlisted = new ArrayList<>();
        for (Method m : CoreBenchmark.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Benchmark.class) && !methods.contains(m.getName())) {
                unlisted.add(m.getName());
            }
        }
        unlisted.sort(null);
        methods.addAll(unlisted);
        return List.copyOf(methods);
    }

    /** Runs a job, again while others took too much of the machine and retries remain; keeps the quietest. */
    private static Measured runQuietest(Arguments a, Job job) throws RunnerException {
        Measured best = null;
        for (int attempt = 1; attempt <= 1 + a.retries; attempt++) {
            final MachineLoad load = MachineLoad.now();
            final Collection<RunResult> runs = new Runner(options(a, job).build()).run();
            final MachineLoad.Usage usage = load.since();
            final double share = usage == null ? Double.NaN : usage.othersShare();
            if (runs.isEmpty()) {
                return best;
            }
            final Measured m = Measured.of(job.setup().name(), runs.iterator().next(), share, attempt);
            if (best == null || m.othersShare() < best.othersShare()) {
                best = m;
            }
            if (Double.isNaN(share) || share <= a.quietShare) {
                break;
            }
            System.out.printf(
                    Locale.ROOT,
                    ">>> other processes took %.0f %% of the machine during %s%s%n",
                    100 * share,
                    job.label(),
                    attempt <= a.retries ? "; running it again" : "");
        }
        return best;
    }

    private static ChainedOptionsBuilder options(Arguments a, Job job) {
        final ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + Pattern.quote(job.type().getName() + "." + job.benchmark()) + "$")
                .forks(job.forks())
                .warmupIterations(a.plan.warmupIterations())
                .warmupTime(TimeValue.seconds(job.warmupSeconds()))
                .measurementIterations(a.plan.measurementIterations())
                .measurementTime(TimeValue.seconds(a.plan.measurementSeconds()))
                // A stuck iteration (it cannot block, but a bug could) ends the run instead of hanging it.
                .timeout(TimeValue.seconds(60))
                .addProfiler(GCProfiler.class)
                .jvmArgs(FORK_JVM_ARGS)
                .jvmArgsAppend(appended(job))
                .shouldFailOnError(false);
        if (job.queue() != null) {
            o.param("queue", job.queue());
        }
        if (a.resultsDir != null) {
            o.result(a.resultsDir.resolve(job.label() + ".json").toString()).resultFormat(ResultFormatType.JSON);
        }
        return o;
    }

    private static String[] appended(Job job) {
        final List<String> args = new ArrayList<>(job.setup().jvmArgs());
        args.addAll(job.extraArgs());
        return args.toArray(new String[0]);
    }

    /**
     * For a setup that promises tracked queues: a note when the agent jar has no tracked twin of this queue, so the
     * queue would stay plain (the fork would refuse to run it). Null when the run can go ahead.
     */
    private static String missingTrackedClass(AgentSetup setup, Path agentJar, String queue) throws IOException {
        if (setup.queues() != AgentSetup.QueueClass.TRACKED) {
            return null;
        }
        final String entry = "io/hotpath/bootstrap/jdk/Tracked" + queue + ".class";
        try (ZipFile jar = new ZipFile(agentJar.toFile())) {
            if (jar.getEntry(entry) != null) {
                return null;
            }
        }
        return queue + " with " + setup.name() + ": not measured, because this build of hotpath-agent.jar has no "
                + entry + ", so the agent leaves `new " + queue + "` unchanged and the figure would be the"
                + " un-instrumented path.";
    }

    /** The command line (see the class comment), read by picocli like every harness main's. */
    @Command(name = "BenchmarkMain", mixinStandardHelpOptions = true)
    static final class Arguments {
        @Option(names = "--mode", paramLabel = "MODE", description = "quick (default) or full")
        String mode = "quick";

        @Option(
                names = "--forks",
                paramLabel = "N",
                converter = Cli.Positive.class,
                description = "forks per benchmark")
        Integer forks;

        @Option(
                names = "--agent",
                paramLabel = "JAR",
                converter = Cli.ExistingFile.class,
                description = "hotpath agent jar")
        Path agentJar;

        @Option(names = "--suites", split = ",", paramLabel = "SUITE", description = "core, queue, e2e (default all)")
        List<String> suites;

        @Option(names = "--queues", split = ",", paramLabel = "QUEUE", description = "queue classes to measure")
        List<String> queues;

        @Option(
                names = "--retries",
                paramLabel = "N",
                description = "runs again a benchmark taken on a busy machine (default 0)")
        int retries;

        @Option(
                names = "--quiet-share",
                paramLabel = "SHARE",
                description = "share of the machine others may take (default 0.10)")
        double quietShare = 0.10;

        @Option(names = "--startup", paramLabel = "FILE", description = "start-up samples to report")
        Path startupFile;

        @Option(names = "--moobench", paramLabel = "FILE", description = "MooBench samples to report")
        Path moobenchFile;

        @Option(names = "--throughput", paramLabel = "FILE", description = "throughput samples to report")
        Path throughputFile;

        @Option(names = "--report", paramLabel = "FILE", description = "file the report is written to")
        Path reportFile;

        @Option(names = "--results", paramLabel = "DIR", description = "directory for JMH's JSON results")
        Path resultsDir;

        @Option(names = "--command", paramLabel = "TEXT", description = "the command named in the report")
        String command = "java io.hotpath.benchmarks.BenchmarkMain";

        @Option(names = "--note", paramLabel = "TEXT", description = "a note for the report (repeatable)")
        List<String> extraNotes = new ArrayList<>();

        /** The run plan the mode and forks give. */
        RunPlan plan;

        /** Checks what picocli cannot and fills in the defaults; throws naming the bad value and what is allowed. */
        Arguments checked() throws IOException {
            plan = RunPlan.named(mode);
            if (forks != null) {
                plan = plan.withForks(forks);
            }
            if (agentJar != null) {
                agentJar = agentJar.toAbsolutePath();
            }
            suites = suites == null ? SUITES : suites;
            for (String suite : suites) {
                if (!SUITES.contains(suite)) {
                    throw new IllegalArgumentException(
                            "unknown suite '" + suite + "' in --suites; allowed: " + String.join(", ", SUITES));
                }
            }
            if (queues == null) {
                queues = List.of(QueueSites.ARRAY_BLOCKING_QUEUE, QueueSites.LINKED_BLOCKING_QUEUE);
            }
            if (resultsDir != null) {
                Files.createDirectories(resultsDir);
            }
            return this;
        }
    }
}
