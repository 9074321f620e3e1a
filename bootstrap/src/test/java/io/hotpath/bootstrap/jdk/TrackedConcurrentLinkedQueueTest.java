package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrackedConcurrentLinkedQueueTest extends TrackedQueueContract<TrackedConcurrentLinkedQueue<Integer>> {
    TrackedConcurrentLinkedQueueTest() {
        super(
                false,
                (capacity, id) -> new TrackedConcurrentLinkedQueue<>(id),
                TrackedConcurrentLinkedQueue::new,
                TrackedConcurrentLinkedQueue::hotpathProbeId);
    }

    @Test
    void producersAndConsumersAreCountedExactly() throws Exception {
        final TrackedConcurrentLinkedQueue<Integer> q = create();
        final int perProducer = 50_000;
        final long total = 4L * perProducer;
        final AtomicLong taken = new AtomicLong();
        final AtomicLong sum = new AtomicLong();
        final List<Counters.Task> tasks = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            final int base = p * perProducer;
            tasks.add(() -> {
                for (int i = 0; i < perProducer; i++) {
                    if (i % 2 == 0) {
                        q.offer(base + i);
                    } else {
                        q.add(base + i);
                    }
                }
            });
            tasks.add(() -> {
                while (taken.get() < total) {
                    final Integer v = q.poll();
                    if (v == null) {
                        Thread.onSpinWait();
                    } else {
                        sum.addAndGet(v);
                        taken.incrementAndGet();
                    }
                }
            });
        }
        Counters.runConcurrently(tasks);
        assertThat(taken.get()).isEqualTo(total);
        assertThat(sum.get()).isEqualTo(total * (total - 1) / 2);
        assertThat(probe.total(Slot.IN)).isEqualTo(total);
        assertThat(probe.total(Slot.OUT)).isEqualTo(total);
        assertThat(probe.total(Slot.BLOCKED) + probe.total(Slot.WAITED) + probe.total(Slot.DROPPED))
                .isZero();
    }
}
