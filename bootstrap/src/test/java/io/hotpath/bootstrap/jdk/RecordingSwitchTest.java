package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.RecordingSwitch;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The global stop switch: off, the core records nothing and a tracked queue behaves as the JDK's (same results, same
 * exceptions); on again, counting resumes from where it stopped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordingSwitchTest {
    @AfterEach
    void on() {
        RecordingSwitch.enabled(true);
    }

    @Test
    void offStopsEveryRecordingEntryPointAndOnResumesThem() {
        final Probe p = Probes.register("test.switch.core", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        final Object instance = new Object();
        final Probe.Side side = p.side(instance);
        p.add(Slot.IN, 5);
        RecordingSwitch.enabled(false);
        assertThat(RecordingSwitch.enabled()).isFalse();
        p.add(Slot.IN, 1);
        p.increment(Slot.IN);
        side.increment(Slot.IN);
        assertThat(p.tick(Slot.CALLS)).isZero();
        assertThat(side.tick(Slot.CALLS)).isZero();
        assertThat(p.countSampled(Slot.CALLS)).isFalse();
        p.record(Dist.LATENCY, 1_000);
        assertThat(p.total(Slot.IN)).isEqualTo(5);
        assertThat(p.total(Slot.CALLS)).isZero();
        RecordingSwitch.enabled(true);
        p.increment(Slot.IN);
        side.increment(Slot.IN);
        assertThat(p.total(Slot.IN)).isEqualTo(7);
    }

    @Test
    void aTrackedQueueWorksAsTheJdksWhileRecordingIsOff() throws Exception {
        final Probe p = Probes.register("test.switch.queue", PathKind.QUEUE, 0);
        final TrackedArrayBlockingQueue<Integer> q = new TrackedArrayBlockingQueue<>(2, p.id());
        q.offer(1);
        RecordingSwitch.enabled(false);
        assertThat(q.offer(2)).isTrue();
        assertThat(q.offer(3)).as("full, as the JDK's").isFalse();
        assertThat(q.poll()).isEqualTo(1);
        final List<Integer> drained = new ArrayList<>();
        assertThat(q.drainTo(drained)).isEqualTo(1);
        assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThatThrownBy(() -> q.add(null)).isInstanceOf(NullPointerException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(q::take).isInstanceOf(InterruptedException.class);
        assertThat(p.total(Slot.IN)).as("only the offer made while on").isEqualTo(1);
        assertThat(p.total(Slot.OUT)).isZero();
        assertThat(p.total(Slot.DROPPED)).isZero();
        RecordingSwitch.enabled(true);
        q.offer(4);
        assertThat(p.total(Slot.IN)).isEqualTo(2);
    }
}
