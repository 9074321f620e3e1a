package io.hotpath.bootstrap.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InstanceGaugeTest {
    private static ProbeSample find(Snapshot s, Probe p) {
        return s.probes().stream().filter(x -> x.id() == p.id()).findFirst().orElseThrow();
    }

    @Test
    void gaugeReadFromTrackedInstancesIsSummedEveryTake() {
        final Probe ipc = Probes.register("test.instance-gauge.ipc." + System.nanoTime(), PathKind.IPC, 0);
        final AtomicLong a = new AtomicLong(5);
        final AtomicLong b = new AtomicLong(7);
        final Object broken = new Object();
        ipc.instanceGauge(new Probe.InstanceGauge(Gauge.PENDING_BYTES, o -> {
            if (o == broken) {
                throw new IllegalStateException("a library object in an unexpected state");
            }
            return ((AtomicLong) o).get();
        }));
        ipc.track(a);
        ipc.track(b);
        ipc.track(broken);
        final SnapshotTaker taker = new SnapshotTaker();
        final ProbeSample first = find(taker.take(), ipc);
        assertThat(first.gauge(Gauge.PENDING_BYTES)).isEqualTo(12);
        assertThat(first.gauge(Gauge.INSTANCES)).isEqualTo(3);
        a.set(0);
        assertThat(find(taker.take(), ipc).gauge(Gauge.PENDING_BYTES)).isEqualTo(7);
        Reference.reachabilityFence(b); // tracked weakly: kept alive by the test
    }

    @Test
    void queueDepthReadFromInstancesReplacesTheCounterDepth() {
        final Probe loops = Probes.register("test.instance-gauge.queue." + System.nanoTime(), PathKind.QUEUE, 0);
        loops.add(Slot.IN, 100); // ignored: the instances' own figure wins
        loops.instanceGauge(new Probe.InstanceGauge(Gauge.DEPTH, o -> ((AtomicLong) o).get()));
        final AtomicLong pending = new AtomicLong(3);
        loops.track(pending);
        final ProbeSample s = find(new SnapshotTaker().take(), loops);
        assertThat(s.gauge(Gauge.DEPTH)).isEqualTo(3);
        assertThat(s.gauge(Gauge.INSTANCES)).isEqualTo(1);
        assertThat(s.gauge(Gauge.PENDING_BYTES)).isEqualTo(Gauge.ABSENT);
        Reference.reachabilityFence(pending);
    }
}
