package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference broadcaster's saturated dispatcher: its pool rejects what its own full work queue refused, the same
 * refusals seen by two probes. The analyzer reports them once: exactly one back-pressure finding, on the pool, with
 * the queue's depth as evidence, and no finding at all on the pool's work queue.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class PoolWorkQueueFindingIT {
    private static final String POOL = "io.hotpath.reference.Dispatcher.pool";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void aPoolAndItsWorkQueueGiveOneFinding(Path jdk) throws Exception {
        final String label = Jdks.label(jdk);
        final Path dump = Launch.workFile(label + "-pool-work-queue-analyzer.json");
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .prop("hotpath.dump.interval", "500ms")
                .prop("hotpath.shutdown.timeout", "10s")
                .referenceApp(
                        "--scenario",
                        "basic",
                        "--duration",
                        "6s",
                        "--quiet",
                        "--fault",
                        "saturated-dispatcher",
                        "--fault-at",
                        "2s",
                        "--rate",
                        "2000")
                .timeout(Duration.ofSeconds(60))
                .run();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        final List<Map<String, Object>> findings = AnalyzerFindings.read(dump).findings();
        final List<Map<String, Object>> pressure = findings.stream()
                .filter(f -> "back_pressure".equals(f.get("kind")))
                .filter(f -> String.valueOf(f.get("probe")).startsWith(POOL))
                .toList();
        assertThat(pressure)
                .as("back-pressure findings on the dispatcher; all: %s", findings)
                .hasSize(1);
        assertThat(pressure.get(0).get("probe")).isEqualTo(POOL);
        @SuppressWarnings("unchecked")
        final Map<String, Object> evidence =
                (Map<String, Object>) pressure.get(0).get("evidence");
        assertThat(evidence).containsKey("work_queue_depth");
        assertThat(String.valueOf(pressure.get(0).get("message"))).contains("its work queue " + POOL + ".queue");
        assertThat(findings).as("findings on the pool's own work queue").noneMatch(f -> String.valueOf(f.get("probe"))
                .equals(POOL + ".queue"));
    }
}
