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

/**
 * Throughput of the reference status broadcaster ({@code hotpath-reference-app.jar}, built by the it-tests module)
 * without and with hotpath: runs alternate (none, hotpath, none, ...) after one discarded run of each, every run a
 * fresh JVM of the given scenario (default {@code stress}: producers unthrottled, so throughput is what the machine
 * can move). The figure is the broadcaster's own ground truth, {@code throughputMsgPerSec} (messages consumed per
 * subscriber per second of the whole run); a run that exits non-zero (a broken invariant) stops the harness.
 * Writes {@code setup run msg_per_s} per run to {@code --out}.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.ThroughputRunner --app hotpath-reference-app.jar
 *     --agent hotpath-agent.jar --out throughput.tsv [--runs 3] [--duration 5s] [--scenario stress]
 * </pre>
 *
 * hotpath runs with its default configuration except {@code hotpath.export.exporter=none}: there is no collector to
 * export to here (the export cost is measured by {@code export.ExportCostHarness}).
 */
public final class ThroughputRunner {
    private static final Pattern THROUGHPUT = Pattern.compile("\"throughputMsgPerSec\":([0-9.eE+-]+)");
    private static final String TRUTH = "GROUND-TRUTH ";

    private ThroughputRunner() {}

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ThroughputRunner: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            // A child that failed or refused to measure: its own words are in the message.
            System.err.println("ThroughputRunner: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        final Map<String, String> a = Flags.parse(
                args,
                Map.of(
                        "--runs", "3",
                        "--duration", "5s",
                        "--scenario", "stress",
                        "--java", ChildJvm.currentJava()),
                List.of("--app", "--agent", "--out"));
        final int runs = Flags.positive(a, "--runs");
        final Path app = Flags.file(a, "--app");
        final Path agent = Flags.file(a, "--agent");
        final Path out = Path.of(a.get("--out"));
        final Map<String, List<String>> setups = new LinkedHashMap<>();
        setups.put("none", List.of());
        setups.put("hotpath", List.of("-javaagent:" + agent.toAbsolutePath(), "-Dhotpath.export.exporter=none"));
        final List<String> appArgs = List.of(
                "-jar",
                app.toAbsolutePath().toString(),
                "--scenario",
                a.get("--scenario"),
                "--duration",
                a.get("--duration"),
                "--quiet");

        final StringBuilder tsv = new StringBuilder("# setup\trun\tmsg_per_s\n");
        final Map<String, List<Double>> bySetup = new LinkedHashMap<>();
        for (int run = 0; run <= runs; run++) {
            for (Map.Entry<String, List<String>> s : setups.entrySet()) {
                final List<String> cmd = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
                cmd.addAll(s.getValue());
                cmd.addAll(appArgs);
                final double msgPerSec = once(a.get("--java"), cmd, s.getKey());
                if (run == 0) {
                    System.out.printf(
                            Locale.ROOT, "throughput: warm-up %-8s %,.0f msg/s (discarded)%n", s.getKey(), msgPerSec);
                    continue;
                }
                bySetup.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(msgPerSec);
                tsv.append(s.getKey())
                        .append('\t')
                        .append(run)
                        .append('\t')
                        .append(String.format(Locale.ROOT, "%.1f", msgPerSec))
                        .append('\n');
                System.out.printf(
                        Locale.ROOT, "throughput: run %d/%d %-8s %,.0f msg/s%n", run, runs, s.getKey(), msgPerSec);
            }
        }
        Files.writeString(out, tsv.toString(), StandardCharsets.UTF_8);
        final Figure none = Figure.of(bySetup.get("none"));
        final Figure hotpath = Figure.of(bySetup.get("hotpath"));
        System.out.printf(
                Locale.ROOT,
                "throughput: none %s, hotpath %s msg/s; loss %.2f %%%n",
                none.format(),
                hotpath.format(),
                100 * (1 - hotpath.ratioTo(none)));
        System.out.println("throughput: wrote " + out);
    }

    private static double once(String java, List<String> cmd, String setup) throws Exception {
        final ChildJvm.Result r = ChildJvm.run(java, cmd, 180);
        final List<String> truth = r.linesStartingWith(TRUTH);
        if (r.exitCode() != 0 || truth.size() != 1) {
            throw new IllegalStateException("reference app run (" + setup + ") exited with " + r.exitCode() + ": "
                    + ChildJvm.tail(r.stdout() + "\n" + r.stderr(), 5));
        }
        final Matcher m = THROUGHPUT.matcher(truth.get(0));
        if (!m.find()) {
            throw new IllegalStateException(
                    "no throughputMsgPerSec in the ground truth of a " + setup + " run: " + truth.get(0));
        }
        return Double.parseDouble(m.group(1));
    }
}
