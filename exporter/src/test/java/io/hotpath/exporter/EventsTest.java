package io.hotpath.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventsTest {
    @AfterEach
    void detach() {
        Events.detach();
    }

    @Test
    void eventsWaitUntilASinkIsAttachedThenArriveInOrder() {
        Events.emit(Event.builder("a", Severity.INFO, "first").build());
        Events.emit(
                Event.builder("b", Severity.WARNING, "second").attribute("n", 3).build());
        final List<Event> got = new ArrayList<>();
        Events.attach(got::add);
        Events.emit(Event.builder("c", Severity.CRITICAL, "third").build());
        assertThat(got).extracting(Event::name).containsExactly("a", "b", "c");
        assertThat(got.get(1).attributes()).containsEntry("n", 3L);
    }

    @Test
    void theWaitingBufferIsBoundedAndCountsWhatItDrops() {
        final long before = Events.dropped();
        for (int i = 0; i < Events.PENDING_MAX + 10; i++) {
            Events.emit(Event.builder("e" + i, Severity.INFO, "x").build());
        }
        final List<Event> got = new ArrayList<>();
        Events.attach(got::add);
        assertThat(got).hasSize(Events.PENDING_MAX);
        assertThat(Events.dropped() - before).isEqualTo(10);
    }

    @Test
    void aFailingSinkNeverBreaksTheEmitter() {
        Events.attach(e -> {
            throw new IllegalStateException("boom");
        });
        Events.emit(Event.builder("x", Severity.INFO, "y").build());
    }

    @Test
    void attributeValuesAreCheckedWhenTheEventIsBuilt() {
        assertThatThrownBy(() -> new Event("n", Severity.INFO, "b", Map.of("k", new Object()), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute k");
        final Event e = Event.builder("n", Severity.INFO, "b")
                .attribute("s", "v")
                .attribute("d", 1.5)
                .attribute("b", true)
                .build();
        assertThat(e.attributes())
                .containsEntry("s", "v")
                .containsEntry("d", 1.5)
                .containsEntry("b", true);
        assertThat(e.epochNanos()).isPositive();
    }
}
