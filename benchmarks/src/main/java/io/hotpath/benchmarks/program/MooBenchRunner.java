package io.hotpath.benchmarks.program;

import benchapp.MonitoredRecursion;
import io.hotpath.benchmarks.AgentSetup;
import io.hotpath.benchmarks.report.Figure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The MooBench-style whole-program harness: {@link MooBenchDriver} in fresh JVMs with no agent, with hotpath (a
 * declared probe on the monitored method) and with the OpenTelemetry Java agent (method instrumentation of the same
 * method, every exporter off), the setups alternating fork by fork so that drift of the machine hits all alike.
 * Writes {@code setup fork ns_per_call} per measured batch to {@code --out} and prints medians per setup.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.MooBenchRunner --agent hotpath-agent.jar
 *     --otel opentelemetry-javaagent.jar --out moobench.tsv [--forks 2] [--depth 10] [--warmup-ms 3000]
 *     [--batches 10] [--batch-ms 200]
 * </pre>
 *
 * Both agents run without exporting: hotpath with {@code hotpath.export.exporter=none}, OpenTelemetry with its
 * traces, metrics and logs exporters {@code none}; spans are still created, sampled and ended.
 */
public final class MooBenchRunner {
    /** Heap of every child, fixed so the setups differ only in the agent. */
    private static final List<String> HEAP = List.of("-Xms512m", "-Xmx512m");

    private MooBenchRunner() {}

    /** A setup: name and the JVM arguments that make it. */
    record Setup(String name, List<String> jvmArgs) {}

    /** The command line; see the class comment. */
    @Command(name = "MooBenchRunner", mixinStandardHelpOptions = true)
    static final class Options {
        @Mixin
        Cli.Agent agent;

        @Option(
                names = "--otel",
                required = true,
                converter = Cli.ExistingFile.class,
                description = "OpenTelemetry Java agent jar")
        Path otel;

        @Option(names = "--out", required = true, description = "TSV file the batches are written to")
        Path out;

        @Option(names = "--forks", converter = Cli.Positive.class, description = "forks per setup (default 2)")
        int forks = 2;

        @Option(names = "--depth", converter = Cli.Positive.class, description = "recursion depth (default 10)")
        int depth = 10;

        @Option(names = "--warmup-ms", converter = Cli.Positive.class, description = "warm-up per fork (default 3000)")
        int warmupMs = 3000;

        @Option(names = "--batches", converter = Cli.Positive.class, description = "batches per fork (default 10)")
        int batches = 10;

        @Option(names = "--batch-ms", converter = Cli.Positive.class, description = "length of a batch (default 200)")
        int batchMs = 200;

        @Mixin
        Cli.Java children;

        @Option(names = "--cp", description = "class path of the children (default: this jar)")
        String cp = Cli.ownJar();
    }

    public static void main(String[] args) throws Exception {
        Cli.main("MooBenchRunner", new Options(), args, MooBenchRunner::run);
    }

    private static void run(Options a) throws Exception {
        final int forks = a.forks;
        final int depth = a.depth;
        final long warmupMs = a.warmupMs;
        final int batches = a.batches;
        final long batchMs = a.batchMs;
        final List<Setup> setups = setups(a.agent.jar, a.otel);
        final long timeoutSeconds = 120 + (warmupMs + batches * batchMs * 3) / 1000;

        final Path out = a.out;
        final StringBuilder tsv = new StringBuilder("# setup\tfork\tns_per_call\n");
        final Map<String, List<Double>> bySetup = new LinkedHashMap<>();
        for (int fork = 1; fork <= forks; fork++) {
            for (Setup s : setups) {
                final List<String> cmd = new ArrayList<>(HEAP);
                cmd.addAll(s.jvmArgs());
                cmd.addAll(List.of(
                        "-cp",
                        a.cp,
                        MooBenchDriver.class.getName(),
                        Integer.toString(depth),
                        Long.toString(warmupMs),
                        Integer.toString(batches),
                        Long.toString(batchMs)));
                final ChildJvm.Result r = ChildJvm.run(a.children.java, cmd, timeoutSeconds);
                final List<String> lines = r.linesStartingWith(MooBenchDriver.BATCH);
                if (r.exitCode() != 0 || lines.size() != batches) {
                    throw new IllegalStateException("MooBench fork " + fork + " of " + s.name() + " exited with "
                            + r.exitCode() + " after " + lines.size() + " of " + batches + " batches: "
                            + ChildJvm.tail(r.stderr(), 5));
                }
                for (String line : lines) {
                    final double ns = Double.parseDouble(line);
                    bySetup.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(ns);
                    tsv.append(s.name())
                            .append('\t')
                            .append(fork)
                            .append('\t')
                            .append(line)
                            .append('\n');
                }
                System.out.printf(
                        Locale.ROOT,
                        "moobench: fork %d/%d %-8s %s ns per monitored call%n",
                        fork,
                        forks,
                        s.name(),
                        Figure.of(lines.stream().map(Double::parseDouble).toList())
                                .format());
            }
        }
        Files.writeString(out, tsv.toString(), StandardCharsets.UTF_8);
        final Figure none = Figure.of(bySetup.get("none"));
        for (Map.Entry<String, List<Double>> e : bySetup.entrySet()) {
            final Figure f = Figure.of(e.getValue());
            System.out.printf(
                    Locale.ROOT,
                    "moobench: %-8s %s ns per monitored call, added %s%n",
                    e.getKey(),
                    f.format(),
                    f.minus(none).formatSigned());
        }
        System.out.println("moobench: wrote " + out);
    }

    /** No agent, hotpath with a declared probe on the method, the OpenTelemetry agent instrumenting the method. */
    static List<Setup> setups(Path hotpath, Path otel) {
        final String expect = "-D" + AgentSetup.EXPECT_PROPERTY + "=";
        return List.of(
                new Setup("none", List.of(expect + AgentSetup.QueueClass.PLAIN.property())),
                new Setup(
                        "hotpath",
                        List.of(
                                "-javaagent:" + hotpath.toAbsolutePath(),
                                "-Dhotpath.probes=" + MonitoredRecursion.PROBE,
                                "-Dhotpath.export.exporter=none",
                                expect + AgentSetup.QueueClass.TRACKED.property())),
                new Setup(
                        "otel",
                        List.of(
                                "-javaagent:" + otel.toAbsolutePath(),
                                "-Dotel.instrumentation.methods.include=" + MonitoredRecursion.OTEL_METHODS,
                                "-Dotel.traces.exporter=none",
                                "-Dotel.metrics.exporter=none",
                                "-Dotel.logs.exporter=none",
                                "-D" + MooBenchDriver.OTEL_EXPECT_PROPERTY + "=true",
                                expect + AgentSetup.QueueClass.PLAIN.property())));
    }
}
