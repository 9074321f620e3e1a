package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Probe.Side}: one thread claims a side's row and counts into it without a locked instruction, every other
 * thread counts on the stripes; the totals are exact either way, never go back while a reader sums, survive the
 * instance's collection (its row folded into the stripes), and the number of rows is capped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeSideTest {
    private static final int THREADS = 4;
    private static final int CALLS = 400_000;

    @Test
    void ownerAndOtherThreadsTogetherCountExactlyAndTotalsNeverGoBack() throws Exception {
        final Probe p = Probes.register("test.side.mixed", PathKind.QUEUE, 0);
        final Object queue = new Object();
        final Probe.Side side = p.side(queue);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicLong backwards = new AtomicLong();
        final Thread reader = new Thread(() -> {
            long last = 0;
            while (writing.get()) {
                final long now = p.total(Slot.IN);
                if (now < last) {
                    backwards.incrementAndGet();
                }
                last = now;
                Thread.onSpinWait();
            }
        });
        reader.start();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int c = 0; c < CALLS; c++) {
                    side.increment(Slot.IN);
                    side.add(Slot.BATCH_ITEMS, 3L);
                }
            });
            writers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : writers) {
            w.join();
        }
        writing.set(false);
        reader.join();

        final long expected = (long) THREADS * CALLS;
        assertThat(p.total(Slot.IN)).isEqualTo(expected);
        assertThat(p.total(Slot.BATCH_ITEMS)).isEqualTo(3L * expected);
        assertThat(p.total(Slot.OUT)).isZero();
        assertThat(backwards.get()).isZero();
        assertThat(queue).isNotNull(); // the instance lived through the counting
    }

    @Test
    void aCollectedInstancesCountsStayAndItsRowIsGivenBack() throws Exception {
        final Probe p = Probes.register("test.side.collected", PathKind.QUEUE, 0);
        final int instances = Probe.MAX_SIDE_ROWS + 10; // more than the cap: the last ones have no row
        final WeakReference<Object> last = countOnGarbage(p, instances);
        final Object early = new Object();
        assertThat(p.side(early).hasRow()).as("past the cap").isFalse();
        for (int i = 0; i < 100 && last.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(last.get()).as("the instances were collected").isNull();
        assertThat(p.total(Slot.IN)).isEqualTo(2L * instances);
        assertThat(p.total(Slot.OUT)).isEqualTo(instances);

        // The folded rows are free again: a new instance's side gets a row and its owner counts into it.
        final Object queue = new Object();
        final Probe.Side side = p.side(queue);
        assertThat(side.hasRow()).isTrue();
        side.increment(Slot.IN);
        assertThat(p.total(Slot.IN)).isEqualTo(2L * instances + 1);
        assertThat(queue).isNotNull();
    }

    private static WeakReference<Object> countOnGarbage(Probe p, int n) {
        Object o = null;
        for (int i = 0; i < n; i++) {
            o = new Object();
            final Probe.Side producers = p.side(o);
            final Probe.Side consumers = p.side(o);
            producers.add(Slot.IN, 2L);
            consumers.increment(Slot.OUT);
        }
        return new WeakReference<>(o);
    }

    @Test
    void theOwnerTimesOneCallInMaskPlusOneOfItsOwnCountAndOthersUseTheStripes() throws Exception {
        final Probe p = Probes.register("test.side.tick", PathKind.QUEUE, Dist.bit(Dist.WAIT));
        p.sampleMask(3);
        final Object queue = new Object();
        final Probe.Side side = p.side(queue);
        int timed = 0;
        for (int i = 0; i < 100; i++) {
            if (side.tick(Slot.WAITED) != 0L) {
                timed++;
            }
        }
        assertThat(timed).as("calls 0, 4, 8, ... of the owner's row").isEqualTo(25);
        final AtomicLong otherTimed = new AtomicLong();
        final Thread other = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                if (side.tick(Slot.WAITED) != 0L) {
                    otherTimed.incrementAndGet();
                }
            }
        });
        other.start();
        other.join();
        assertThat(otherTimed.get()).as("sampled on the stripes, also one in 4").isBetween(24L, 26L);
        assertThat(p.total(Slot.WAITED)).isEqualTo(200L);

        p.detailShed(true);
        assertThat(side.tick(Slot.WAITED)).as("shed detail times nothing").isZero();
        assertThat(p.total(Slot.WAITED)).as("but still counts").isEqualTo(201L);
        assertThat(queue).isNotNull();
    }

    @Test
    void aDisabledProbeCountsNothingOnItsSides() {
        final Probe p = Probes.register("test.side.disabled", PathKind.QUEUE, 0);
        final Object queue = new Object();
        final Probe.Side side = p.side(queue);
        side.increment(Slot.IN); // claims the row
        p.fail(new IllegalStateException("agent defect"));
        side.increment(Slot.IN);
        side.add(Slot.OUT, 4L);
        assertThat(p.total(Slot.IN)).isEqualTo(1L);
        assertThat(p.total(Slot.OUT)).isZero();
        assertThat(queue).isNotNull();
    }
}
