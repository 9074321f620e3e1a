package io.hotpath.benchmarks.ipc;

import io.hotpath.benchmarks.AgentSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the IPC benchmarks without and with the agent, using the same {@link AgentSetup}s as the queue suite, and
 * prints one line per benchmark and setup (score, error, allocation per operation from {@code -prof gc}, and the added
 * cost with the agent).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.ipc.IpcBenchmarkMain agent/target/hotpath-agent.jar [forks] [names]
 * </pre>
 *
 * <p>The first argument may also name several agent setups, comma-separated, each {@code [label=]jar [-Dflag ...]}
 * (flags separated by spaces, quoted as one argument): every one runs after the no-agent baseline of the same
 * invocation and is compared with it, so a change is measured against the previous jar and no agent in one run, e.g.
 * {@code "before=old.jar,after=agent/target/hotpath-agent.jar,off=agent/target/hotpath-agent.jar
 * -Dhotpath.instrument.aeron=false"}.
 *
 * <p>On a busy machine a few long iterations average in whatever time the benchmark thread spent waiting for a core,
 * and the mean moves by tens of nanoseconds. Many short iterations ({@code -Dipc.iterations=40
 * -Dipc.iterationMs=100}) and the median of the per-iteration scores, printed beside the mean, are far steadier: the
 * added cost is the difference of the medians of the two setups. Defaults: 3 warm-up and 5 measured iterations of
 * 1 s.
 *
 * <p>Below the summary, one line per fork: its median and, for a benchmark that counts refused operations (an
 * {@code refused} event counter, {@link AeronOfferBenchmark}), the fraction of operations refused, so a fork that ran
 * in another regime shows. {@code -Dipc.work=N} sets the {@code work} parameter (extra CPU tokens per operation) of
 * the benchmarks that have one: a check that the benchmark shows a slower path.
 */
public final class IpcBenchmarkMain {
    private IpcBenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        final List<AgentSetup> setups = setups(args.length > 0 ? args[0] : "agent/target/hotpath-agent.jar");
        final int forks = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        final List<String> lines = new ArrayList<>();
        final List<Class<?>> types = new ArrayList<>(List.of(
                NettyWriteBenchmark.class,
                AeronOfferBenchmark.class,
                AeronPollBenchmark.class,
                SocketWriteBenchmark.class));
        if (args.length > 2) {
            // a comma-separated subset of the benchmarks' simple names
            final List<String> only = List.of(args[2].split(","));
            types.removeIf(t -> !only.contains(t.getSimpleName()));
        }
        for (Class<?> type : types) {
            // The no-agent medians of each benchmark method (a class may have several), by label.
            final java.util.Map<String, double[]> baselines = new java.util.HashMap<>();
            for (AgentSetup setup : setups) {
                final List<String> jvmArgs = new ArrayList<>(List.of(
                        "-Xms512m",
                        "-Xmx512m",
                        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                        "-Dhotpath.export.exporter=none"));
                jvmArgs.addAll(setup.jvmArgs());
                final ChainedOptionsBuilder opts = new OptionsBuilder()
                        .include("^" + java.util.regex.Pattern.quote(type.getName()) + "\\.")
                        .forks(forks)
                        .warmupIterations(Integer.getInteger("ipc.warmups", 3))
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(Integer.getInteger("ipc.iterations", 5))
                        .measurementTime(TimeValue.milliseconds(Integer.getInteger("ipc.iterationMs", 1000)))
                        .addProfiler(GCProfiler.class)
                        .jvmArgs(jvmArgs.toArray(new String[0]));
                final String work = System.getProperty("ipc.work");
                if (work != null) {
                    opts.param("work", work.split(","));
                }
                for (RunResult r : new Runner(opts.build()).run()) {
                    final double score = r.getPrimaryResult().getScore();
                    final double error = r.getPrimaryResult().getScoreError();
                    final double median = median(r);
                    final Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                    final double cpu = cpuMedian(r);
                    if (setup.name().equals("none")) {
                        baselines.put(label(r), new double[] {median, cpu});
                    }
                    final double[] none = baselines.getOrDefault(label(r), new double[] {Double.NaN, Double.NaN});
                    final double baseline = none[0];
                    final double cpuBaseline = none[1];
                    lines.add(String.format(
                            Locale.ROOT,
                            "%-40s %-8s %8.1f ± %6.1f ns/op  median %8.1f ns/op %8.1f B/op%s",
                            label(r),
                            setup.name(),
                            score,
                            error,
                            median,
                            alloc == null ? Double.NaN : alloc.getScore(),
                            setup.name().equals("none")
                                    ? ""
                                    : String.format(Locale.ROOT, "  (added %+.1f ns/op, medians)", median - baseline)));
                    if (!Double.isNaN(cpu)) {
                        lines.add(String.format(
                                Locale.ROOT,
                                "    CPU time of the benchmark thread: median %8.1f ns/op%s",
                                cpu,
                                setup.name().equals("none")
                                        ? ""
                                        : String.format(Locale.ROOT, "  (added %+.1f ns/op)", cpu - cpuBaseline)));
                    }
                    int fork = 0;
                    for (BenchmarkResult b : r.getBenchmarkResults()) {
                        lines.add(forkLine(++fork, b));
                    }
                }
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
    }

    /** No agent, then one setup per comma-separated {@code [label=]jar [-Dflag ...]} entry of {@code spec}. */
    static List<AgentSetup> setups(String spec) {
        final List<AgentSetup> setups = new ArrayList<>(List.of(AgentSetup.none()));
        for (String entry : spec.split(",")) {
            final String[] words = entry.trim().split("\\s+");
            if (words[0].isEmpty()) {
                throw new IllegalArgumentException(
                        "empty agent setup in '" + spec + "': expected [label=]jar [-Dflag ...]");
            }
            final int eq = words[0].indexOf('=');
            final String label = eq > 0 ? words[0].substring(0, eq) : "hotpath";
            final AgentSetup plain = AgentSetup.hotpath(Path.of(words[0].substring(eq + 1)));
            final List<String> jvmArgs = new ArrayList<>(plain.jvmArgs());
            jvmArgs.addAll(List.of(words).subList(1, words.length));
            setups.add(new AgentSetup(label, plain.description(), jvmArgs, plain.queues()));
        }
        return setups;
    }

    private static String label(RunResult r) {
        final String name = r.getParams().getBenchmark().replace("io.hotpath.benchmarks.ipc.", "");
        final String work = r.getParams().getParam("work");
        return work == null || work.equals("0") ? name : name + " work=" + work;
    }

    /**
     * One fork: the median of its iterations and, if it counts them, the fraction of operations refused and the median
     * of the benchmark thread's CPU time per operation.
     */
    private static String forkLine(int fork, BenchmarkResult b) {
        final List<Double> scores = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();
        double refused = 0;
        long ops = 0;
        boolean counts = false;
        for (IterationResult i : b.getIterationResults()) {
            scores.add(i.getPrimaryResult().getScore());
            final Result<?> r = i.getSecondaryResults().get("refused");
            if (r != null) {
                counts = true;
                refused += r.getScore();
                ops += i.getMetadata().getMeasuredOps();
            }
            final double perOp = cpuPerOp(i);
            if (!Double.isNaN(perOp)) {
                cpu.add(perOp);
            }
        }
        return String.format(
                Locale.ROOT,
                "    fork %d  median %8.1f ns/op%s%s",
                fork,
                median(scores),
                cpu.isEmpty() ? "" : String.format(Locale.ROOT, "  cpu %8.1f ns/op", median(cpu)),
                counts ? String.format(Locale.ROOT, "  refused %5.2f %%", ops == 0 ? 0.0 : 100.0 * refused / ops) : "");
    }

    /** The benchmark thread's CPU time per operation in one iteration ({@code cpuNanos} counter), or NaN. */
    private static double cpuPerOp(IterationResult i) {
        final Result<?> r = i.getSecondaryResults().get("cpuNanos");
        final long ops = i.getMetadata().getMeasuredOps();
        return r == null || ops == 0 ? Double.NaN : r.getScore() / ops;
    }

    /** The median over every fork's iterations of the CPU time per operation, or NaN if not counted. */
    private static double cpuMedian(RunResult r) {
        final List<Double> cpu = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                final double perOp = cpuPerOp(i);
                if (!Double.isNaN(perOp)) {
                    cpu.add(perOp);
                }
            }
        }
        return cpu.isEmpty() ? Double.NaN : median(cpu);
    }

    /** The median of the measured iterations' scores, over every fork. */
    private static double median(RunResult r) {
        final List<Double> scores = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                scores.add(i.getPrimaryResult().getScore());
            }
        }
        return median(scores);
    }

    private static double median(List<Double> scores) {
        if (scores.isEmpty()) {
            return Double.NaN;
        }
        java.util.Collections.sort(scores);
        final int n = scores.size();
        return n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
    }
}
