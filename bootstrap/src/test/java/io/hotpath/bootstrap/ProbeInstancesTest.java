package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tracked-instance list of a probe when two cold-side readers (the agent's snapshot and the exporter's) walk it at
 * the same time while instances are collected: each collected instance leaves the count exactly once, so the count
 * stays equal to the live instances and the cap stays a cap.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeInstancesTest {
    private static final AtomicLong NAMES = new AtomicLong();

    @Test
    void twoReadersWalkingWhileInstancesAreCollectedKeepTheCountExact() throws Exception {
        final int rounds = 200;
        final int live = 8;
        final int garbage = Probe.MAX_TRACKED_INSTANCES - live;
        for (int round = 0; round < rounds; round++) {
            final Probe p = Probes.register("instances-" + NAMES.incrementAndGet(), PathKind.QUEUE, 0);
            final List<Object> kept = new ArrayList<>();
            for (int i = 0; i < live; i++) {
                final Object o = new Object();
                kept.add(o);
                p.track(o);
            }
            final WeakReference<Object> last = trackGarbage(p, garbage);
            while (last.get() != null) {
                System.gc();
                Thread.sleep(1);
            }
            final CyclicBarrier start = new CyclicBarrier(2);
            final AtomicLong seenA = new AtomicLong();
            final AtomicLong seenB = new AtomicLong();
            final Thread a = walker(p, start, seenA);
            final Thread b = walker(p, start, seenB);
            a.start();
            b.start();
            a.join();
            b.join();
            assertThat(seenA.get())
                    .as("round %d: live instances seen by reader A", round)
                    .isEqualTo(live);
            assertThat(seenB.get())
                    .as("round %d: live instances seen by reader B", round)
                    .isEqualTo(live);
            assertThat(p.trackedInstances())
                    .as("round %d: tracked count", round)
                    .isEqualTo(live);

            // The cap still holds: exactly MAX_TRACKED_INSTANCES - live more fit, the next ones are not kept.
            final List<Object> more = new ArrayList<>();
            for (int i = 0; i < garbage + 10; i++) {
                final Object o = new Object();
                more.add(o);
                p.track(o);
            }
            final AtomicLong seen = new AtomicLong();
            p.forEachInstance(o -> seen.incrementAndGet());
            assertThat(seen.get())
                    .as("round %d: instances kept after refilling", round)
                    .isEqualTo(Probe.MAX_TRACKED_INSTANCES);
            assertThat(p.trackedInstances()).isEqualTo(Probe.MAX_TRACKED_INSTANCES);
            Reference.reachabilityFence(kept);
            Reference.reachabilityFence(more);
        }
    }

    /** Tracks {@code n} objects nobody keeps; returns a weak reference to the last, to wait for their collection. */
    private static WeakReference<Object> trackGarbage(Probe p, int n) {
        Object o = null;
        for (int i = 0; i < n; i++) {
            o = new Object();
            p.track(o);
        }
        return new WeakReference<>(o);
    }

    private static Thread walker(Probe p, CyclicBarrier start, AtomicLong seen) {
        return new Thread(() -> {
            try {
                start.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            p.forEachInstance(o -> seen.incrementAndGet());
        });
    }
}
