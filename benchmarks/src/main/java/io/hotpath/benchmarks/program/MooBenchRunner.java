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

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("MooBenchRunner: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            // A child that failed or refused to measure: its own words are in the message.
            System.err.println("MooBenchRunner: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        final Map<String, String> a = Flags.parse(
                args,
                Map.of(
                        "--forks", "2",
                        "--depth", "10",
                        "--warmup-ms", "3000",
                        "--batches", "10",
                        "--batch-ms", "200",
                        "--java", ChildJvm.currentJava(),
                        "--cp", Flags.ownJar()),
                List.of("--agent", "--otel", "--out"));
        final int forks = Flags.positive(a, "--forks");
        final int depth = Flags.positive(a, "--depth");
        final long warmupMs = Flags.positive(a, "--warmup-ms");
        final int batches = Flags.positive(a, "--batches");
        final long batchMs = Flags.positive(a, "--batch-ms");
        final List<Setup> setups = setups(Flags.file(a, "--agent"), Flags.file(a, "--otel"));
        final long timeoutSeconds = 120 + (warmupMs + batches * batchMs * 3) / 1000;

        final Path out = Path.of(a.get("--out"));
        final StringBuilder tsv = new StringBuilder("# setup\tfork\tns_per_call\n");
        final Map<String, List<Double>> bySetup = new LinkedHashMap<>();
        for (int fork = 1; fork <= forks; fork++) {
            for (Setup s : setups) {
                final List<String> cmd = new ArrayList<>(HEAP);
                cmd.addAll(s.jvmArgs());
                cmd.addAll(List.of(
                        "-cp",
                        a.get("--cp"),
                        MooBenchDriver.class.getName(),
                        Integer.toString(depth),
                        Long.toString(warmupMs),
                        Integer.toString(batches),
                        Long.toString(batchMs)));
                final ChildJvm.Result r = ChildJvm.run(a.get("--java"), cmd, timeoutSeconds);
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
