package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProbePartsTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private static Probe probe(String what) {
        return Probes.register("test.parts." + what + "." + UNIQUE.incrementAndGet(), PathKind.IPC, 0);
    }

    @Test
    void totalAddsEachPartOnceToItsTargetSlotOnly() {
        final Probe sum = probe("sum");
        final Probe a = probe("a");
        final Probe b = probe("b");
        sum.add(Slot.CALLS, 1);
        a.add(Slot.IN, 10);
        a.add(Slot.BYTES_OUT, 100);
        b.add(Slot.IN, 20);
        sum.sumOf(a, Slot.IN, Slot.CALLS);
        sum.sumOf(a, Slot.IN, Slot.CALLS); // again: no effect
        sum.sumOf(b, Slot.IN, Slot.CALLS);
        sum.sumOf(a, Slot.BYTES_OUT, Slot.BYTES_OUT);
        assertThat(sum.total(Slot.CALLS)).isEqualTo(31);
        assertThat(sum.total(Slot.BYTES_OUT)).isEqualTo(100);
        assertThat(sum.total(Slot.IN)).isZero();
        assertThat(a.total(Slot.IN)).isEqualTo(10); // a part's own totals are unchanged
    }

    @Test
    void aProbeWithPartsCannotBeAPartNorItself() {
        final Probe sum = probe("sum");
        final Probe part = probe("part");
        sum.sumOf(part, Slot.IN, Slot.CALLS);
        assertThatThrownBy(() -> probe("outer").sumOf(sum, Slot.CALLS, Slot.CALLS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(sum.name());
        assertThatThrownBy(() -> part.sumOf(part, Slot.IN, Slot.CALLS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(part.name());
    }

    @Test
    void partsAddedWhileWritersCountLoseNothing() throws InterruptedException {
        final Probe sum = probe("sum");
        final List<Probe> parts = new ArrayList<>();
        final List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final Probe p = probe("w" + i);
            parts.add(p);
            final Thread t = new Thread(() -> {
                for (int n = 0; n < 100_000; n++) {
                    p.tick(Slot.IN);
                }
            });
            writers.add(t);
            t.start();
        }
        for (Probe p : parts) {
            sum.sumOf(p, Slot.IN, Slot.CALLS);
        }
        for (Thread t : writers) {
            t.join(20_000);
        }
        assertThat(sum.total(Slot.CALLS)).isEqualTo(400_000);
    }
}
