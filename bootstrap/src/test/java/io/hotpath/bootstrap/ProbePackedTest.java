package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Packed pairs: a call and its bytes in one add. Threads writing while two readers fold and read keep every total
 * exact, totals never go down between reads, and a byte count too large for a packed add still counts exactly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbePackedTest {
    private static final int THREADS = 6;
    private static final int CALLS_PER_THREAD = 1_000_000;

    @Test
    void writersAndFoldingReadersKeepCallsAndBytesExact() throws Exception {
        final Probe p = Probes.register("test.packed.concurrent." + System.nanoTime(), PathKind.IPC, 0);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final List<String> regressions = new ArrayList<>();
        final List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            final Thread reader = new Thread(() -> {
                long in = 0;
                long bytesOut = 0;
                long out = 0;
                long bytesIn = 0;
                while (writing.get()) {
                    final long inNow = p.total(Slot.IN);
                    final long bytesOutNow = p.total(Slot.BYTES_OUT);
                    final long outNow = p.total(Slot.OUT);
                    final long bytesInNow = p.total(Slot.BYTES_IN);
                    if (inNow < in || bytesOutNow < bytesOut || outNow < out || bytesInNow < bytesIn) {
                        synchronized (regressions) {
                            regressions.add(in + ">" + inNow + " " + bytesOut + ">" + bytesOutNow);
                        }
                    }
                    in = inNow;
                    bytesOut = bytesOutNow;
                    out = outNow;
                    bytesIn = bytesInNow;
                }
            });
            readers.add(reader);
            reader.start();
        }
        final CountDownLatch done = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            final int seed = t;
            new Thread(() -> {
                        for (int i = 0; i < CALLS_PER_THREAD; i++) {
                            p.addPacked(Probe.WRITES, (i + seed) % 100); // 0 .. 99 bytes
                            if ((i & 3) == 0) {
                                p.addPacked(Probe.READS, 1000);
                            }
                        }
                        done.countDown();
                    })
                    .start();
        }
        assertThat(done.await(100, TimeUnit.SECONDS)).isTrue();
        writing.set(false);
        for (Thread r : readers) {
            r.join();
        }
        long expectedBytes = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
                expectedBytes += (i + t) % 100;
            }
        }
        assertThat(regressions).isEmpty();
        assertThat(p.total(Slot.IN)).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(p.total(Slot.BYTES_OUT)).isEqualTo(expectedBytes);
        assertThat(p.total(Slot.OUT)).isEqualTo((long) THREADS * CALLS_PER_THREAD / 4);
        assertThat(p.total(Slot.BYTES_IN)).isEqualTo(1000L * THREADS * CALLS_PER_THREAD / 4);
        assertThat(p.total(Slot.CALLS)).isZero();
    }

    @Test
    void largeAndEmptyCountsAreExact() {
        final Probe p = Probes.register("test.packed.large." + System.nanoTime(), PathKind.IPC, 0);
        p.addPacked(Probe.WRITES, Probe.MAX_PACKED_BYTES);
        p.addPacked(Probe.WRITES, Probe.MAX_PACKED_BYTES + 1);
        p.addPacked(Probe.WRITES, 5L << 32);
        p.addPacked(Probe.WRITES, 0);
        p.addPacked(Probe.READS, -1);
        assertThat(p.total(Slot.IN)).isEqualTo(4);
        assertThat(p.total(Slot.BYTES_OUT)).isEqualTo(2 * Probe.MAX_PACKED_BYTES + 1 + (5L << 32));
        assertThat(p.total(Slot.OUT)).isEqualTo(1);
        assertThat(p.total(Slot.BYTES_IN)).isZero();
        // Many calls between two reads: nothing carries from the call field into the bytes or back.
        for (int i = 0; i < 3_000_000; i++) {
            p.addPacked(Probe.READS, 1000);
        }
        for (int i = 0; i < 2000; i++) {
            p.addPacked(Probe.READS, Probe.MAX_PACKED_BYTES);
        }
        assertThat(p.total(Slot.OUT)).isEqualTo(3_002_001);
        assertThat(p.total(Slot.BYTES_IN)).isEqualTo(3_000_000_000L + 2000L * Probe.MAX_PACKED_BYTES);
    }

    @Test
    void oneCallInMaskPlusOneIsTimedOnOneThread() {
        final Probe p = Probes.register("test.packed.sampling." + System.nanoTime(), PathKind.IPC, 0);
        p.sampleMask(15);
        int timed = 0;
        for (int i = 0; i < 1600; i++) {
            if (p.beginPacked(Probe.WRITES) != 0L) {
                timed++;
            }
            p.addPacked(Probe.WRITES, 64);
        }
        assertThat(timed).isEqualTo(100);
        p.detailShed(true);
        assertThat(p.beginPacked(Probe.WRITES)).isZero();
    }

    @Test
    void pollsCountPollsAndMessagesInOneAddAndSampleOneInMaskPlusOne() {
        final Probe p = Probes.register("test.packed.polls." + System.nanoTime(), PathKind.IPC, 0);
        p.sampleMask(15);
        int sampled = 0;
        for (int i = 0; i < 1600; i++) {
            if (p.addPackedSampled(Probe.POLLS, 1 + i % 16)) {
                sampled++;
            }
        }
        p.addPackedSampled(Probe.POLLS, Probe.MAX_PACKED_BYTES + 1);
        assertThat(sampled).isEqualTo(100);
        assertThat(p.total(Slot.BATCHES)).isEqualTo(1601);
        assertThat(p.total(Slot.OUT)).isEqualTo(100L * (16 * 17 / 2) + Probe.MAX_PACKED_BYTES + 1);
        assertThat(p.total(Slot.CALLS)).isZero();
    }
}
