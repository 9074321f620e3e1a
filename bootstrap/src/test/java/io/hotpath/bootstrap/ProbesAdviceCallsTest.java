package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The calls advice makes on {@link Probes}: what they record, and that a fault inside disables the probe quietly. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbesAdviceCallsTest {
    private static Probe probe(String name) {
        final int dists = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE);
        return Probes.register("test.probes.advice." + name + "." + System.nanoTime(), PathKind.METHOD, dists);
    }

    @Test
    void endCountsAnErrorOnlyForACallThatThrew() {
        final Probe p = probe("end");
        Probes.end(p.id(), Probes.begin(p.id()), null);
        Probes.end(p.id(), Probes.begin(p.id()), new IllegalStateException("the application's"));
        assertThat(p.total(Slot.CALLS)).isEqualTo(2);
        assertThat(p.total(Slot.ERRORS)).isEqualTo(1);
        assertThat(p.disabled()).isFalse();
    }

    @Test
    void aBatchCountsItsItemsAndTheCall() {
        final Probe p = probe("batch");
        Probes.end(p.id(), Probes.beginBatch(p.id(), List.of(1, 2, 3)), null);
        Probes.end(p.id(), Probes.beginBatch(p.id(), null), null);
        Probes.end(p.id(), Probes.beginBatchOfArray(p.id(), new int[5]), null);
        assertThat(p.total(Slot.CALLS)).isEqualTo(3);
        assertThat(p.total(Slot.BATCHES)).isEqualTo(3);
        assertThat(p.total(Slot.BATCH_ITEMS)).isEqualTo(8);
    }

    @Test
    void aFaultInsideABatchDisablesTheProbeAndDoesNotReachTheCaller() {
        final Probe p = probe("batch-fault");
        final List<Integer> broken = new AbstractList<>() {
            @Override
            public Integer get(int index) {
                throw new IndexOutOfBoundsException(index);
            }

            @Override
            public int size() {
                throw new IllegalStateException("size fails");
            }
        };
        assertThat(Probes.beginBatch(p.id(), broken)).isZero();
        assertThat(p.disabled()).isTrue();
        assertThat(p.fault()).isInstanceOf(IllegalStateException.class);
        // disabled: later calls record nothing and still return normally
        Probes.end(p.id(), Probes.beginBatchOfArray(p.id(), new int[2]), null);
        assertThat(p.total(Slot.CALLS)).isZero();
        final Probe q = probe("array-fault");
        assertThat(Probes.beginBatchOfArray(q.id(), "not an array")).isZero();
        assertThat(q.disabled()).isTrue();
    }

    @Test
    void trackRemembersTheInstance() {
        final Probe p = probe("track");
        final Object instance = new Object();
        Probes.track(p.id(), instance);
        assertThat(p.trackedInstances()).isEqualTo(1);
        java.lang.ref.Reference.reachabilityFence(instance);
    }
}
