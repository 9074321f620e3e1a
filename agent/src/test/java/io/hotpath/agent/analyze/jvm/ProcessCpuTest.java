package io.hotpath.agent.analyze.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessCpuTest {
    @Test
    void aReadingIsSharedWhileFreshAndReadAgainOnceStale() {
        assertThat(ProcessCpu.nanos()).isPositive(); // the first call also looks the bean up
        spin(50_000_000L); // past the freshness of that reading
        // Calls right after one another (as the detector, the self-cost reading and the optimizer make on one tick)
        // get the same reading, even though this thread keeps spending CPU between them; unless this thread was held
        // off the CPU for longer than the freshness meanwhile, which a busy machine does now and then.
        final long t0 = System.nanoTime();
        final long first = ProcessCpu.nanos();
        final long second = ProcessCpu.nanos();
        final long third = ProcessCpu.nanos();
        if (System.nanoTime() - t0 < ProcessCpu.FRESH_MILLIS * 1_000_000L / 2) {
            assertThat(second).isEqualTo(first);
            assertThat(third).isEqualTo(first);
        }
        // Once the reading is stale, a new one is taken: spend well over the OS's 10 ms clock tick of CPU first.
        spin(200_000_000L);
        assertThat(ProcessCpu.nanos()).isGreaterThan(first);
    }

    /** Keeps this thread on the CPU for {@code nanos} of wall time. */
    private static void spin(long nanos) {
        final long until = System.nanoTime() + nanos;
        long sink = 0;
        while (System.nanoTime() < until) {
            sink += Long.numberOfTrailingZeros(System.nanoTime());
        }
        assertThat(sink).isNotNegative();
    }
}
