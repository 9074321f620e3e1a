package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rounds of threads that count into their own rows and end, while a reader sums: every count survives its thread's
 * end (folded into the stripes), no count is read twice, and a reader never sees a total go back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeOwnedRowsTest {
    private static final int ROUNDS = 5;
    private static final int THREADS = 4;
    private static final int CALLS = 500_000;

    @Test
    void countsOfEndedThreadsAreFoldedExactlyAndTotalsNeverGoBack() throws Exception {
        final Probe p = Probes.register("test.owned-rows", PathKind.IPC, Dist.bit(Dist.SIZE));
        p.sampleMask(15);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicLong backwards = new AtomicLong();
        final Thread reader = new Thread(() -> {
            long in = 0;
            long bytes = 0;
            while (writing.get()) {
                final long nowIn = p.total(Slot.IN);
                final long nowBytes = p.total(Slot.BYTES_OUT);
                if (nowIn < in || nowBytes < bytes) {
                    backwards.incrementAndGet();
                }
                in = nowIn;
                bytes = nowBytes;
                Thread.onSpinWait();
            }
        });
        reader.start();
        final AtomicLong sampled = new AtomicLong();
        for (int round = 0; round < ROUNDS; round++) {
            final List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final Thread w = new Thread(() -> {
                    long mine = 0;
                    for (int c = 0; c < CALLS; c++) {
                        if (p.ownCountSampled(Slot.IN)) {
                            mine++;
                        }
                        p.ownAdd(Slot.BYTES_OUT, 3L);
                    }
                    sampled.addAndGet(mine);
                });
                writers.add(w);
                w.start();
            }
            for (Thread w : writers) {
                w.join();
            }
        }
        writing.set(false);
        reader.join();

        final long expected = (long) ROUNDS * THREADS * CALLS;
        assertThat(p.total(Slot.IN)).isEqualTo(expected);
        assertThat(p.total(Slot.BYTES_OUT)).isEqualTo(3L * expected);
        assertThat(p.total(Slot.IN)).as("read again after the rows were folded").isEqualTo(expected);
        // one call in 16 on each thread's own count is sampled, the first included
        assertThat(sampled.get()).isEqualTo((long) ROUNDS * THREADS * (CALLS / 16));
        assertThat(backwards.get()).isZero();
    }

    @Test
    void aDisabledProbeCountsNothingInOwnRows() {
        final Probe p = Probes.register("test.owned-rows.disabled", PathKind.IPC, 0);
        p.ownAdd(Slot.OUT, 2L);
        p.fail(new IllegalStateException("agent defect"));
        p.ownAdd(Slot.OUT, 5L);
        assertThat(p.ownCountSampled(Slot.IN)).isFalse();
        assertThat(p.total(Slot.OUT)).isEqualTo(2L);
        assertThat(p.total(Slot.IN)).isZero();
    }

    @Test
    void countingAndAddingInOneLookUpIsExactAndSamplesLikeCountingAlone() throws Exception {
        final Probe p = Probes.register("test.owned-rows.adding", PathKind.IPC, Dist.bit(Dist.SIZE));
        p.sampleMask(7);
        final AtomicLong sampled = new AtomicLong();
        final List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final Thread w = new Thread(() -> {
                long mine = 0;
                for (int c = 0; c < 10_000; c++) {
                    if (p.ownCountSampledAdding(Slot.IN, Slot.BYTES_OUT, 5L)) {
                        mine++;
                    }
                }
                sampled.addAndGet(mine);
            });
            writers.add(w);
            w.start();
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(p.total(Slot.IN)).isEqualTo(THREADS * 10_000L);
        assertThat(p.total(Slot.BYTES_OUT)).isEqualTo(THREADS * 50_000L);
        assertThat(sampled.get()).isEqualTo(THREADS * (10_000L / 8));
        p.fail(new IllegalStateException("agent defect"));
        assertThat(p.ownCountSampledAdding(Slot.IN, Slot.BYTES_OUT, 5L)).isFalse();
        assertThat(p.total(Slot.BYTES_OUT)).isEqualTo(THREADS * 50_000L);
    }
}
