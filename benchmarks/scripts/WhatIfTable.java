import io.hotpath.it.Launch;
import io.hotpath.it.ScriptRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The what-if accuracy runs of issue 15, as a single-file program run by whatif.sh. Each case runs the reference
 * broadcaster {@code runs} times in a real JVM with the built agent in {@code apply} mode, with a pool or a batch
 * bottleneck, and reads from the final dump every change the optimizer made that carries an estimate, paired with
 * the verdict that ended its evaluation: predicted against observed throughput, in the unit the tunable is judged by
 * (tasks/s for a pool, messages/s for the batch size). Prints one Markdown row per change and, per kind of tunable
 * and overall, how many estimates were within 25 % of what the change then measured; then every change that gives
 * no pair (no estimate, no verdict before the run ended, no window measured at the new value) with the reason. The
 * settled column says whether the change waited for a settled before-sample or was made from an unsettled one at the
 * optimizer's limit (docs/optimizer.md, "What-if").
 *
 * <p>Arguments: {@code <java-home> <work-dir> <runs> [--cases pool,batch] [--duration 40s]}; the agent and
 * application jars come through {@code io.hotpath.it.Launch}'s properties (see it-tests/scripts/table-run.sh).
 */
public final class WhatIfTable {
    record Case(String name, String tunables, String rules, List<String> args) {}

    static final String BATCH = "batch=io.hotpath.reference.Batcher#batchSize:batch-size[1..1024]";

    static final List<Case> CASES = List.of(
            // One dispatcher thread parked 4 ms per batch of 16: 4,000 msg/s against 20,000 offered; only the pool's
            // own size is tunable.
            new Case("pool", null, null, List.of("--scenario", "sustained", "--rate", "20000", "--batch-size", "16",
                    "--flush-interval-ms", "5", "--dispatcher-threads", "1", "--batch-cost-us", "4000",
                    "--subscribers", "2")),
            // Two dispatcher threads parked 0.5 ms per batch of 1: 4,000 msg/s against 20,000 offered. The batch size
            // is declared and a user rule doubles it while the ingress queue is deep (the batch-size controller
            // itself holds while the ingress queue's wait breaks the p99 objective); the pool's size is tunable too,
            // and the estimates (batch x2 +100 %, pool +1 +50 %) decide which moves first.
            new Case("batch", BATCH, "double: when queue_depth then batch up by x2 cooldown 5s priority 1",
                    List.of("--scenario", "sustained", "--rate", "20000", "--batch-size", "1",
                    "--flush-interval-ms", "5", "--dispatcher-threads", "2", "--batch-cost-us", "500")));

    static final Pattern ENTRY = Pattern.compile("\"action\":\"([a-z]+)\",\"tunable\":\"((?:[^\"\\\\]|\\\\.)*)\","
            + "\"from\":(-?\\d+|null),\"to\":(-?\\d+|null).*?(?:\"what_if\":\\{([^}]*)\\})?\\}\\s*,?\\s*$");

    /** How the optimizer's change reason says the before-sample never settled and was taken at the limit. */
    static final String UNSETTLED = "; before-sample not settled";

    /** Changes the optimizer made that give no pair, each with why: none is dropped silently. */
    static final List<String> EXCLUDED = new ArrayList<>();

    record Row(String run, String tunable, String from, String to, String model, double before, double predicted,
            double observed, int windows, String verdict, boolean settled) {
        double error() {
            return predicted / observed - 1;
        }
    }

    public static void main(String[] args) throws Exception {
        final Path javaHome = Path.of(args[0]);
        final Path work = Path.of(args[1]);
        final int runs = Integer.parseInt(args[2]);
        final Map<String, String> options = ScriptRuns.options(args, 3, "--cases", "--duration");
        final List<String> only = ScriptRuns.names(options, "--cases");
        final String duration = options.getOrDefault("--duration", "40s");
        System.out.printf("java: %s%n%n", javaHome);
        final List<Row> rows = new ArrayList<>();
        for (Case c : CASES) {
            if (only != null && !only.contains(c.name())) {
                continue;
            }
            for (int run = 1; run <= runs; run++) {
                final String tag = c.name() + "-" + run;
                final Path dump = work.resolve(tag + ".json");
                final Launch launch = ScriptRuns.dumpRun(javaHome, dump)
                        .prop("hotpath.alerts.enabled", "false")
                        .prop("hotpath.optimizer.mode", "apply");
                if (c.tunables() != null) {
                    launch.prop("hotpath.tunables", c.tunables());
                }
                if (c.rules() != null) {
                    launch.prop("hotpath.optimizer.rules", c.rules());
                }
                final List<String> appArgs = new ArrayList<>(List.of("--quiet", "--duration", duration));
                appArgs.addAll(c.args());
                final Launch.Result result = launch.referenceApp(appArgs.toArray(String[]::new))
                        .timeout(Duration.ofSeconds(ScriptRuns.seconds(duration) + 90))
                        .run();
                if (result.timedOut()) {
                    System.out.printf("%s: did not end in time, its dump may be partial%n", tag);
                }
                rows.addAll(pairs(tag, dump));
            }
        }
        System.out.println("| run | tunable | change | model | settled | before/s | predicted/s | observed/s | windows | error | within 25 % | verdict |");
        System.out.println("| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        final Map<String, int[]> byKind = new HashMap<>();
        for (Row r : rows) {
            final boolean within = Math.abs(r.error()) <= 0.25;
            final String kind = r.tunable().startsWith("pool.") ? "pool size" : "batch size";
            final int[] k = byKind.computeIfAbsent(kind, x -> new int[2]);
            k[0] += within ? 1 : 0;
            k[1]++;
            System.out.printf(Locale.ROOT, "| %s | %s | %s -> %s | %s | %s | %.0f | %.0f | %.0f | %d | %+.0f %% | %s | %s |%n",
                    r.run(), r.tunable(), r.from(), r.to(), r.model(), r.settled() ? "yes" : "no (limit)", r.before(),
                    r.predicted(), r.observed(),
                    r.windows(), r.error() * 100, within ? "yes" : "no", r.verdict());
        }
        System.out.println();
        int in = 0;
        int all = 0;
        for (Map.Entry<String, int[]> e : byKind.entrySet()) {
            System.out.printf("%s changes: %d of %d estimates within 25 %%%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            in += e.getValue()[0];
            all += e.getValue()[1];
        }
        System.out.printf("all: %d of %d within 25 %%%n", in, all);
        System.out.printf("%nchanges not in the table: %d%n", EXCLUDED.size());
        for (String x : EXCLUDED) {
            System.out.println("- " + x);
        }
    }

    /** Each change with an estimate, paired with the verdict that ended it (which carries the observed figures). */
    static List<Row> pairs(String run, Path dump) throws IOException {
        final List<Row> out = new ArrayList<>();
        if (!Files.exists(dump)) {
            System.out.printf("%s: no dump%n", run);
            return out;
        }
        final Map<String, String[]> open = new HashMap<>();
        for (String line : Files.readAllLines(dump)) {
            if (!line.contains("\"action\":")) {
                continue;
            }
            final Matcher m = ENTRY.matcher(line);
            if (!m.find()) {
                continue;
            }
            final String action = m.group(1);
            final String tunable = m.group(2);
            if (action.equals("change")) {
                if (m.group(5) == null) {
                    EXCLUDED.add(String.format("%s %s %s -> %s: the change has no estimate", run, tunable, m.group(3),
                            m.group(4)));
                    open.remove(tunable);
                } else {
                    open.put(tunable, new String[] {m.group(3), m.group(4),
                            String.valueOf(!line.contains(UNSETTLED))});
                }
            } else if ((action.equals("accept") || action.equals("rollback")) && open.containsKey(tunable)) {
                final String[] change = open.remove(tunable);
                final Map<String, String> w = m.group(5) == null ? Map.of() : members(m.group(5));
                if (!w.containsKey("observed_throughput_per_s")) {
                    EXCLUDED.add(String.format("%s %s %s -> %s: its %s measured no window at the new value", run,
                            tunable, change[0], change[1], action));
                    continue;
                }
                out.add(new Row(run, tunable, change[0], change[1], w.get("model"),
                        num(w.get("throughput_before_per_s")), num(w.get("predicted_throughput_per_s")),
                        num(w.get("observed_throughput_per_s")), (int) num(w.get("observed_windows")), action,
                        Boolean.parseBoolean(change[2])));
            }
        }
        for (Map.Entry<String, String[]> e : open.entrySet()) {
            EXCLUDED.add(String.format("%s %s %s -> %s: the run ended before its verdict", run, e.getKey(),
                    e.getValue()[0], e.getValue()[1]));
        }
        return out;
    }

    static Map<String, String> members(String body) {
        final Map<String, String> out = new HashMap<>();
        final Matcher m = Pattern.compile("\"([a-z_0-9]+)\":(\"[^\"]*\"|[-0-9.eE]+|null)").matcher(body);
        while (m.find()) {
            out.put(m.group(1), m.group(2).replace("\"", ""));
        }
        return out;
    }

    static double num(String s) {
        return s == null || s.equals("null") ? Double.NaN : Double.parseDouble(s);
    }
}
