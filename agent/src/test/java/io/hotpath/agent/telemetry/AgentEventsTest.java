package io.hotpath.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.exporter.Event;
import io.hotpath.exporter.Events;
import io.hotpath.exporter.Severity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
}
