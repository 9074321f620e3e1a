package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.OneLinePools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pool and the work queue created for it in the same expression, on one line, are two probes: the pool counts each
 * task once and the queue's depth returns to 0 when the pool has drained. A pipeline of three such pools that keeps up
 * raises no finding above info on them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneLinePoolIT {
    private static final String APP = OneLinePools.class.getName();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void poolAndItsQueueAreCountedApart(Path jdk) throws Exception {
        final Path dump = Launch.workFile(Jdks.label(jdk) + "-one-line-pool.json");
        final int n = 50_000;
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .testMain(OneLinePools.class, List.of(), "tasks", String.valueOf(n))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("TRUTH tasks=" + n + " queued=0");

        final Dump d = Dump.read(dump);
        final Dump.Probe pool = d.probe("pool", x -> x.startsWith(APP + ".tasks:") && !x.endsWith(".queue"));
        assertThat(pool.kind()).isEqualTo("executor");
        assertThat(pool.counter("in")).isEqualTo(n);
        assertThat(pool.counter("started")).isEqualTo(n);
        assertThat(pool.gauge("depth")).isZero();

        final Dump.Probe queue = d.probe("work queue", x -> x.equals(pool.name() + ".queue"));
        assertThat(queue.kind()).isEqualTo("queue");
        // The first two tasks start the two core threads and never enter the queue.
        assertThat(queue.counter("in")).isEqualTo(n - 2);
        assertThat(queue.counter("out")).isEqualTo(queue.counter("in"));
        assertThat(queue.gauge("depth")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void pipelineThatKeepsUpRaisesNoFinding(Path jdk) throws Exception {
        final Path dump = Launch.workFile(Jdks.label(jdk) + "-one-line-pipeline.json");
        final int seconds = 10;
        final int rate = 2_000;
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.dump.interval", "500ms")
                .prop("hotpath.export.exporter", "none")
                .testMain(OneLinePools.class, List.of(), "pipeline", String.valueOf(seconds), String.valueOf(rate))
                .timeout(Duration.ofSeconds(60))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final long sent = (long) seconds * rate;
        assertThat(r.stdout()).contains("TRUTH sent=" + sent + " delivered=" + sent);

        final Dump d = Dump.read(dump);
        final List<String> stages =
                d.names().stream().filter(x -> x.startsWith(APP + ".pipeline:")).toList();
        // Three pools and their three queues, each under its own name.
        assertThat(stages).hasSize(6).doesNotHaveDuplicates();
        for (String stage : stages) {
            assertThat(d.probe(stage, stage::equals).gauge("depth")).as(stage).isZero();
        }
        final List<Map<String, Object>> onStages = AnalyzerFindings.read(dump).aboveInfo().stream()
                .filter(f -> String.valueOf(f.get("probe")).startsWith(APP))
                .toList();
        assertThat(onStages).isEmpty();
    }
}
