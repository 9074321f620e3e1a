package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.CallerRunsPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pool with {@code CallerRunsPolicy}, overloaded: the tasks it handed back to the submitting thread are counted as
 * {@code caller_ran}, exactly as many as the application saw run on that thread, none as {@code rejected}; the
 * finding speaks of back-pressure onto the callers, not of rejected tasks; the pool's own work queue raises no finding
 * of its own. A scheduled pool's periodic re-runs are {@code reruns}, not {@code calls}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CallerRunsIT {
    private static final String APP = CallerRunsPool.class.getName();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void callerRunsIsItsOwnOutcome(Path jdk) throws Exception {
        final Path dump = Launch.workFile(Jdks.label(jdk) + "-caller-runs.json");
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.dump.interval", "500ms")
                .prop("hotpath.export.exporter", "none")
                .testMain(CallerRunsPool.class, List.of(), "4")
                .timeout(Duration.ofSeconds(60))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final String truth = Truth.firstLine(r);
        final long submitted = Truth.field(truth, "submitted");
        final long callerRan = Truth.field(truth, "caller_ran");
        final long workerRan = Truth.field(truth, "worker_ran");
        final long periodicRuns = Truth.field(truth, "periodic_runs");
        assertThat(callerRan)
                .as("the pool must have been overloaded: %s", truth)
                .isGreaterThan(100);

        final Dump d = Dump.read(dump);
        // The two pools of the app (site names: they live in local variables); the overloaded one has every call.
        final List<Dump.Probe> pools = d.names().stream()
                .filter(x -> x.startsWith(APP + ".main:") && !x.endsWith(".queue"))
                .map(x -> d.probe(x, x::equals))
                .sorted(Comparator.comparingLong((Dump.Probe p) -> p.counter("calls"))
                        .reversed())
                .toList();
        assertThat(pools).as("pools among %s", d.names()).hasSize(2);
        final Dump.Probe pool = pools.get(0);
        final Dump.Probe timer = pools.get(1);
        assertThat(pool.counter("caller_ran")).isEqualTo(callerRan);
        assertThat(pool.counter("rejected")).isZero();
        assertThat(pool.counter("calls")).isEqualTo(submitted);
        assertThat(pool.counter("in")).isEqualTo(workerRan);
        assertThat(pool.counter("started")).isEqualTo(workerRan);
        assertThat(pool.counter("reruns")).isZero();

        assertThat(timer.counter("calls")).isEqualTo(1);
        assertThat(timer.counter("started")).isEqualTo(periodicRuns);
        // Every run put the task back, except one that ended after shutdown() began.
        assertThat(timer.counter("reruns")).isBetween(periodicRuns - 1, periodicRuns);

        final List<Map<String, Object>> findings = AnalyzerFindings.read(dump).findings();
        final List<Map<String, Object>> pressure = findings.stream()
                .filter(f ->
                        "back_pressure".equals(f.get("kind")) && pool.name().equals(f.get("probe")))
                .toList();
        assertThat(pressure).as("findings: %s", findings).isNotEmpty();
        for (Map<String, Object> f : pressure) {
            assertThat(String.valueOf(f.get("message")))
                    .contains("tasks ran on the submitting thread")
                    .contains("the pool pushed back onto its callers")
                    .doesNotContain("reject");
            assertThat(String.valueOf(f.get("recommendation"))).doesNotContain("rejected");
        }
        assertThat(findings)
                .as("the pool's own work queue is judged with the pool")
                .noneMatch(f -> String.valueOf(f.get("probe")).equals(pool.name() + ".queue"));
    }
}
