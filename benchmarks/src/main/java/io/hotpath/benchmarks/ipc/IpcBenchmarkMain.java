package io.hotpath.benchmarks.ipc;

import io.hotpath.benchmarks.AgentSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
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
 * <p>On a busy machine a few long iterations average in whatever time the benchmark thread spent waiting for a core,
 * and the mean moves by tens of nanoseconds. Many short iterations ({@code -Dipc.iterations=40
 * -Dipc.iterationMs=100}) and the median of the per-iteration scores, printed beside the mean, are far steadier: the
 * added cost is the difference of the medians of the two setups. Defaults: 3 warm-up and 5 measured iterations of
 * 1 s.
 */
public final class IpcBenchmarkMain {
    private IpcBenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        final Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/hotpath-agent.jar");
        final int forks = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        final List<AgentSetup> setups = List.of(AgentSetup.none(), AgentSetup.hotpath(agent));
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
            double baseline = Double.NaN;
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
                for (RunResult r : new Runner(opts.build()).run()) {
                    final double score = r.getPrimaryResult().getScore();
                    final double error = r.getPrimaryResult().getScoreError();
                    final double median = median(r);
                    final Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                    if (setup.name().equals("none")) {
                        baseline = median;
                    }
                    lines.add(String.format(
                            Locale.ROOT,
                            "%-40s %-8s %8.1f ± %6.1f ns/op  median %8.1f ns/op %8.1f B/op%s",
                            r.getParams().getBenchmark().replace("io.hotpath.benchmarks.ipc.", ""),
                            setup.name(),
                            score,
                            error,
                            median,
                            alloc == null ? Double.NaN : alloc.getScore(),
                            setup.name().equals("none")
                                    ? ""
                                    : String.format(Locale.ROOT, "  (added %+.1f ns/op, medians)", median - baseline)));
                }
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
    }

    /** The median of the measured iterations' scores, over every fork. */
    private static double median(RunResult r) {
        final List<Double> scores = new ArrayList<>();
        for (org.openjdk.jmh.results.BenchmarkResult b : r.getBenchmarkResults()) {
            for (org.openjdk.jmh.results.IterationResult i : b.getIterationResults()) {
                scores.add(i.getPrimaryResult().getScore());
            }
        }
        if (scores.isEmpty()) {
            return Double.NaN;
        }
        java.util.Collections.sort(scores);
        final int n = scores.size();
        return n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
    }
}
