package io.hotpath.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.optimize.AuditEntry;
import io.hotpath.agent.optimize.whatif.Outcome;
import io.hotpath.agent.optimize.whatif.Prediction;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.exporter.Event;
import io.hotpath.exporter.Events;
import io.hotpath.exporter.Severity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AgentEventsTest {
    @AfterEach
    void detach() {
        Events.detach();
    }

    @Test
    void aDisabledProbeBecomesAWarnEventWithItsNameKindAndCause() {
        final List<Event> events = new CopyOnWriteArrayList<>();
        Events.attach(events::add);
        final Probe probe = Probes.register("test.AgentEventsTest.queue", PathKind.QUEUE, 0);
        probe.fail(new IllegalStateException("broken recording"));
        AgentEvents.probeDisabled(probe);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo(AgentEvents.PROBE_DISABLED);
            assertThat(e.severity()).isEqualTo(Severity.WARNING);
            assertThat(e.body()).contains("test.AgentEventsTest.queue", "unaffected");
            assertThat(e.attributes())
                    .containsEntry("hotpath.probe.name", "test.AgentEventsTest.queue")
                    .containsEntry("hotpath.probe.kind", "queue")
                    .containsEntry("exception.type", "java.lang.IllegalStateException")
                    .containsEntry("exception.message", "broken recording");
        });
    }

    @Test
    void startedSaysHowAndWhat() {
        final List<Event> events = new CopyOnWriteArrayList<>();
        Events.attach(events::add);
        AgentEvents.started("1.0", true, List.of("queues", "executors"), 42.0);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo(AgentEvents.STARTED);
            assertThat(e.severity()).isEqualTo(Severity.INFO);
            assertThat(e.attributes())
                    .containsEntry("hotpath.agent.start_mode", "attach")
                    .containsEntry("hotpath.agent.instrumenting", "queues,executors")
                    .containsEntry("hotpath.agent.start.duration", 0.042);
        });
    }

    @Test
    void anOptimizerVerdictCarriesItsEstimateBesideWhatWasObserved() {
        final List<Event> events = new CopyOnWriteArrayList<>();
        Events.attach(events::add);
        final Outcome o =
                Outcome.predicted(new Prediction(1500, 1000, 4.5, "M/M/c")).observed(1200, 6.0, 3);
        AgentEvents.optimizer(new AuditEntry(0, "accept", "pool.core:p", 2L, 3L, "apply", "throughput +20%", o));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo(AgentEvents.OPTIMIZER);
            assertThat(e.attributes())
                    .containsEntry("hotpath.optimizer.what_if.model", "M/M/c")
                    .containsEntry("hotpath.optimizer.what_if.throughput_before_per_s", 1000.0)
                    .containsEntry("hotpath.optimizer.what_if.predicted_throughput_per_s", 1500.0)
                    .containsEntry("hotpath.optimizer.what_if.predicted_p99_ms", 4.5)
                    .containsEntry("hotpath.optimizer.what_if.observed_windows", 3L)
                    .containsEntry("hotpath.optimizer.what_if.observed_throughput_per_s", 1200.0)
                    .containsEntry("hotpath.optimizer.what_if.observed_p99_ms", 6.0)
                    .containsEntry("hotpath.optimizer.what_if.throughput_error", 0.25);
        });
    }

    @Test
    void aChangeCarriesItsEstimateAloneAndAnEntryWithoutOneNoWhatIf() {
        final List<Event> events = new CopyOnWriteArrayList<>();
        Events.attach(events::add);
        // The M/M/c model cannot tell a p99 for a pool that stays saturated: the attribute is left out, not 0.
        final Outcome o = Outcome.predicted(new Prediction(1500, 1000, Double.NaN, "M/M/c"));
        AgentEvents.optimizer(new AuditEntry(0, "change", "pool.core:p", 2L, 3L, "apply", "rule", o));
        AgentEvents.optimizer(new AuditEntry(0, "freeze", "pool.core:p", 3L, 3L, "apply", "two rollbacks"));
        assertThat(events).hasSize(2);
        assertThat(events.get(0).attributes())
                .containsEntry("hotpath.optimizer.what_if.predicted_throughput_per_s", 1500.0)
                .doesNotContainKeys(
                        "hotpath.optimizer.what_if.predicted_p99_ms",
                        "hotpath.optimizer.what_if.observed_windows",
                        "hotpath.optimizer.what_if.observed_throughput_per_s");
        assertThat(events.get(1).attributes().keySet()).noneMatch(k -> k.startsWith(AgentEvents.WHAT_IF));
    }
}
