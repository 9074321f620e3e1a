package io.hotpath.benchmarks.program;

import io.hotpath.benchmarks.report.Figure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Throughput and CPU cost of the reference status broadcaster ({@code hotpath-reference-app.jar}, built by the
 * it-tests module) without and with hotpath. Runs alternate (none, hotpath, none, ...) after one discarded run of each,
 * every run a fresh JVM; a run that exits non-zero (a broken invariant) stops the harness. Three figures per run:
 *
 * <ul>
 *   <li>{@code setup}: scenario {@code --scenario} (default {@code stress}: producers unthrottled, so throughput is
 *       what the machine can move), the broadcaster's own ground truth {@code throughputMsgPerSec} (messages consumed
 *       per subscriber per second of the whole run, start-up and warm-up included);
 *   <li>{@code setup@steady}: the same runs, messages consumed per subscriber per second over the second half of the
 *       run (from its progress lines, the last, partial one left out): the throughput once both JVMs are warm;
 *   <li>{@code setup@cpu}: scenario {@code sustained} at a fixed {@code --rate} (msg/s, low enough for both setups to
 *       keep up), the process CPU time (every thread, the agent's too) per delivered message in nanoseconds: what
 *       the agent costs an application that is not saturated. Start-up is included: the agent's start-up CPU is
 *       spread over the run's deliveries, so a short run shows more of it than a long one;
 *   <li>{@code setup@cpu-warm}: the same runs, CPU per delivered message over the second half of the run only (from
 *       the progress lines' cumulative {@code cpuMs} and {@code consumedTotal}): the cost once start-up is over.
 * </ul>
 *
 * Writes {@code setup run value} lines to {@code --out}.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.ThroughputRunner --app hotpath-reference-app.jar
 *     --agent hotpath-agent.jar --out throughput.tsv [--runs 3] [--duration 8s] [--scenario stress] [--rate 20000]
 * </pre>
 *
 * hotpath runs with its default configuration except {@code hotpath.export.exporter=none}: there is no collector to
 * export to here (the export cost is measured by {@code export.ExportCostHarness}).
 */
public final class ThroughputRunner {
    private static final Pattern THROUGHPUT = Pattern.compile("\"throughputMsgPerSec\":([0-9.eE+-]+)");
    private static final Pattern CPU = Pattern.compile("\"processCpuMs\":(-?[0-9]+)");
    private static final Pattern CONSUMED = Pattern.compile("\"subscriberConsumed\":([0-9]+)");
    private static final Pattern SUBSCRIBERS = Pattern.compile("\"subscribers\":([0-9]+)");
    private static final Pattern PROGRESS = Pattern.compile("^progress t=([0-9.]+)s .*consumed=([0-9.]+)/s");
    private static final Pattern PROGRESS_CPU =
            Pattern.compile("^progress t=([0-9.]+)s .* cpuMs=([0-9]+) consumedTotal=([0-9]+)");
    private static final String TRUTH = "GROUND-TRUTH ";

    /**
     * Suffixes of the setup names of the four figures: whole run, warm half, CPU per delivery at a fixed rate over the
     * whole run and over its warm half.
     */
    private static final List<String> FIGURES = List.of("", "@steady", "@cpu", "@cpu-warm");

    private ThroughputRunner() {}

    /** The command line; see the class comment. */
    @Command(name = "ThroughputRunner", mixinStandardHelpOptions = true)
    static final class Options {
        @Option(
                names = "--app",
                required = true,
                converter = Cli.ExistingFile.class,
                description = "hotpath-reference-app.jar")
        Path app;

        @Mixin
        Cli.Agent agent;

        @Option(names = "--out", required = true, description = "TSV file the runs are written to")
        Path out;

        @Option(names = "--runs", converter = Cli.Positive.class, description = "runs per setup (default 3)")
        int runs = 3;

        @Option(names = "--duration", description = "length of a run, as the reference app takes it (default 8s)")
        String duration = "8s";

        @Option(names = "--scenario", description = "reference app scenario of the throughput runs (default stress)")
        String scenario = "stress";

        @Option(names = "--rate", description = "msg/s of the fixed-rate CPU runs (default 20000)")
        String rate = "20000";

        @Mixin
        Cli.Java children;
    }

    public static void main(String[] args) throws Exception {
        Cli.main("ThroughputRunner", new Options(), args, ThroughputRunner::run);
    }

    private static void run(Options a) throws Exception {
        final int runs = a.runs;
        final Path app = a.app;
        final Path agent = a.agent.jar;
        final Path out = a.out;
        final Map<String, List<String>> setups = new LinkedHashMap<>();
        setups.put("none", List.of());
        setups.put("hotpath", List.of("-javaagent:" + agent.toAbsolutePath(), "-Dhotpath.export.exporter=none"));
        final List<String> appArgs =
                List.of("-jar", app.toAbsolutePath().toString(), "--scenario", a.scenario, "--duration", a.duration);
        final List<String> fixedArgs = List.of(
                "-jar",
                app.toAbsolutePath().toString(),
                "--scenario",
                "sustained",
                "--rate",
                a.rate,
                "--duration",
                a.duration);

        final StringBuilder tsv =
                new StringBuilder("# setup\trun\tvalue (msg/s per subscriber; @cpu: CPU ns per delivery)\n");
        final Map<String, List<Double>> bySetup = new LinkedHashMap<>();
        for (int run = 0; run <= runs; run++) {
            for (Map.Entry<String, List<String>> s : setups.entrySet()) {
                final List<String> jvm = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
                jvm.addAll(s.getValue());
                final Sample load = once(a.children.java, concat(jvm, appArgs), s.getKey());
                final Sample fixed = once(a.children.java, concat(jvm, fixedArgs), s.getKey() + "@cpu");
                if (run > 0) {
                    final double[] values = {
                        load.wholeRun(), load.steady(), fixed.cpuNanosPerDelivery(), fixed.warmCpuNanosPerDelivery()
                    };
                    for (int i = 0; i < FIGURES.size(); i++) {
                        final String setup = s.getKey() + FIGURES.get(i);
                        bySetup.computeIfAbsent(setup, k -> new ArrayList<>()).add(values[i]);
                        tsv.append(setup)
                                .append('\t')
                                .append(run)
                                .append('\t')
                                .append(String.format(Locale.ROOT, "%.1f", values[i]))
                                .append('\n');
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "throughput: %s %-8s %,.0f msg/s (steady %,.0f), %,.0f CPU ns per delivery at %s msg/s"
                                + " (warm %,.0f)%n",
                        run == 0 ? "warm-up (discarded)" : "run " + run + "/" + runs,
                        s.getKey(),
                        load.wholeRun(),
                        load.steady(),
                        fixed.cpuNanosPerDelivery(),
                        a.rate,
                        fixed.warmCpuNanosPerDelivery());
            }
        }
        Files.writeString(out, tsv.toString(), StandardCharsets.UTF_8);
        for (String suffix : FIGURES) {
            final Figure none = Figure.of(bySetup.get("none" + suffix));
            final Figure hotpath = Figure.of(bySetup.get("hotpath" + suffix));
            System.out.printf(
                    Locale.ROOT,
                    "throughput%s: none %s, hotpath %s; hotpath/none %.3f%n",
                    suffix,
                    none.format(),
                    hotpath.format(),
                    hotpath.ratioTo(none));
        }
        System.out.println("throughput: wrote " + out);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        final List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * One run's figures: whole-run and steady throughput per subscriber, CPU per delivered message over the whole run
     * and over its second half.
     */
    record Sample(double wholeRun, double steady, double cpuNanosPerDelivery, double warmCpuNanosPerDelivery) {}

    private static Sample once(String java, List<String> cmd, String setup) throws Exception {
        final ChildJvm.Result r = ChildJvm.run(java, cmd, 180);
        final List<String> truth = r.linesStartingWith(TRUTH);
        if (r.exitCode() != 0 || truth.size() != 1) {
            throw new IllegalStateException("reference app run (" + setup + ") exited with " + r.exitCode() + ": "
                    + ChildJvm.tail(r.stdout() + "\n" + r.stderr(), 5));
        }
        final String json = truth.get(0);
        final double whole = number(THROUGHPUT, json, setup);
        final double subscribers = number(SUBSCRIBERS, json, setup);
        final double cpuMs = number(CPU, json, setup);
        final double consumed = number(CONSUMED, json, setup);
        final double cpuPerDelivery = cpuMs < 0 || consumed == 0 ? Double.NaN : cpuMs * 1e6 / consumed;

        // Progress lines: t and consumed/s (all subscribers) per second; the second half, without the last line.
        final List<double[]> progress = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            final Matcher m = PROGRESS.matcher(line);
            if (m.find()) {
                progress.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        double steady = Double.NaN;
        if (progress.size() >= 3) {
            final double end = progress.get(progress.size() - 1)[0];
            double sum = 0;
            int n = 0;
            for (int i = 0; i < progress.size() - 1; i++) {
                if (progress.get(i)[0] > end / 2) {
                    sum += progress.get(i)[1];
                    n++;
                }
            }
            steady = n == 0 ? Double.NaN : sum / n / subscribers;
        }
        return new Sample(whole, steady, cpuPerDelivery, warmCpu(r.stdout()));
    }

    /**
     * CPU per delivered message between the first progress line of the run's second half and its last line: both
     * lines carry the process CPU and the deliveries so far. NaN with fewer than three progress lines.
     */
    static double warmCpu(String stdout) {
        final List<double[]> points = new ArrayList<>();
        for (String line : stdout.lines().toList()) {
            final Matcher m = PROGRESS_CPU.matcher(line);
            if (m.find()) {
                points.add(new double[] {
                    Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))
                });
            }
        }
        if (points.size() < 3) {
            return Double.NaN;
        }
        final double[] last = points.get(points.size() - 1);
        for (double[] p : points) {
            if (p[0] > last[0] / 2 && last[2] > p[2]) {
                return (last[1] - p[1]) * 1e6 / (last[2] - p[2]);
            }
        }
        return Double.NaN;
    }

    private static double number(Pattern p, String json, String setup) {
        final Matcher m = p.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(
                    "no " + p.pattern() + " in the ground truth of a " + setup + " run: " + json);
        }
        return Double.parseDouble(m.group(1));
    }
}
