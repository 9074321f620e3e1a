package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adaptive optimizer on the real reference application, fed by the agent's own analyzer: from a mis-tuned start
 * (batch size 1, one dispatcher thread, flush interval 200 ms, 50k msg/s, and a fixed 100 us wait per batch, so one
 * thread fans out at most 10k batches/s on any machine) {@code apply} changes tunables, keeps what helps and raises
 * the throughput; {@code advise} records recommendations and changes nothing. The two runs of a JDK
 * run side by side (about 20 s together). Rollbacks are covered by GuardrailTest (synthetic signals) and, on the
 * real application, by it-tests/scripts/optimizer-sweep.sh (its hurt run), which also runs the sweep and the 5-minute
 * runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OptimizerIT {
    static final String TUNABLES = "batch=io.hotpath.reference.Batcher#batchSize:batch-size[1..1024];"
            + "flush=io.hotpath.reference.Batcher#flushIntervalMs:flush-interval[0..500]";
    static final List<String> MIS_TUNED = List.of(
            "--scenario",
            "sustained",
            "--rate",
            "50000",
            "--batch-size",
            "1",
            "--dispatcher-threads",
            "1",
            "--flush-interval-ms",
            "200",
            "--batch-cost-us",
            "100");
    static final Pattern PROGRESS = Pattern.compile("^progress t=[0-9.]+s .*consumed=([0-9]+)/s");

    record Run(Launch.Result result, Map<String, Object> dump) {}

    private static Run run(Path jdk, String name, List<String> props, List<String> args, String duration) {
        try {
            final Path dump = Launch.workFile(Jdks.label(jdk) + "-optimizer-" + name + ".json");
            Launch l = Launch.on(jdk)
                    .prop("hotpath.export.exporter", "none")
                    .prop("hotpath.alerts.enabled", "false")
                    .prop("hotpath.dump.file", dump.toString())
                    .prop("hotpath.shutdown.timeout", "10s")
                    .prop("hotpath.tunables", TUNABLES);
            for (int i = 0; i + 1 < props.size(); i += 2) {
                l = l.prop(props.get(i), props.get(i + 1));
            }
            final List<String> all = new ArrayList<>(args);
            all.add("--duration");
            all.add(duration);
            final Launch.Result r = l.referenceApp(all.toArray(new String[0]))
                    .timeout(Duration.ofSeconds(90))
                    .run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            return new Run(r, Json.object(Files.readString(dump)));
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> audit(Run r) {
        final Map<String, Object> opt = (Map<String, Object>) r.dump().get("optimizer");
        assertThat(opt)
                .as("optimizer section in the dump\n" + r.result().describe())
                .isNotNull();
        return (List<Map<String, Object>>) opt.get("audit");
    }

    private static List<Double> consumedPerSecond(Launch.Result r) {
        final List<Double> out = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            final Matcher m = PROGRESS.matcher(line);
            if (m.find()) {
                out.add(Double.parseDouble(m.group(1)));
            }
        }
        return out;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void applyRaisesThroughputAndAdviseChangesNothing(Path jdk) throws Exception {
        final CompletableFuture<Run> apply = CompletableFuture.supplyAsync(
                () -> run(jdk, "apply", List.of("hotpath.optimizer.mode", "apply"), MIS_TUNED, "15s"));
        final CompletableFuture<Run> advise = CompletableFuture.supplyAsync(
                () -> run(jdk, "advise", List.of("hotpath.optimizer.mode", "advise"), MIS_TUNED, "8s"));

        // apply: tunables were changed and at least one change was kept, and the pipeline delivers more per second at
        // the end than at the start (the mis-tuned start drops a third or more of the offered load). Which tunable
        // moves first (batch size, pool, flush interval) depends on which finding the analyzer confirms first.
        final Run a = apply.get();
        final List<Map<String, Object>> aAudit = audit(a);
        assertThat(aAudit)
                .as(a.result().describe())
                .anyMatch(e -> e.get("action").equals("change") && e.get("mode").equals("apply"))
                .anyMatch(e -> e.get("action").equals("accept"));
        final List<Double> tp = consumedPerSecond(a.result());
        assertThat(tp).as(a.result().describe()).hasSizeGreaterThanOrEqualTo(10);
        final double before = mean(tp.subList(0, 2));
        final double after = mean(tp.subList(tp.size() - 3, tp.size()));
        assertThat(after)
                .as("delivered per second, first 2 s %s vs last 3 s %s", before, after)
                .isGreaterThan(1.15 * before);
        assertThat(a.result().agentLines()).anyMatch(l -> l.contains("optimizer change ") && l.contains("(apply)"));

        // advise: recommendations recorded, nothing changed (every batch had one message). That advise recommends
        // exactly what apply changes is OptimizerFeedTest's (deterministic) job.
        final Run v = advise.get();
        final List<Map<String, Object>> vAudit = audit(v);
        assertThat(vAudit)
                .as(v.result().describe())
                .anyMatch(e -> e.get("action").equals("recommend"))
                .allMatch(e ->
                        e.get("action").equals("recommend") || e.get("action").equals("mode"));
        assertThat(v.result().stdout()).contains("\"maxBatchSize\":1,");
        assertThat(v.result().agentLines()).noneMatch(l -> l.contains("optimizer change "));
    }
}
