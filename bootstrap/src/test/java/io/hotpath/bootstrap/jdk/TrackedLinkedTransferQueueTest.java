package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static io.hotpath.bootstrap.jdk.Counters.distCount;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TransferQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrackedLinkedTransferQueueTest extends TrackedBlockingQueueContract<TrackedLinkedTransferQueue<Integer>> {
    TrackedLinkedTransferQueueTest() {
        super(BlockingQueueKind.LTQ, TrackedLinkedTransferQueue::new, TrackedLinkedTransferQueue::hotpathProbeId);
    }

    @Override
    List<Scenario> interruptScenarios() {
        final List<Scenario> s = super.interruptScenarios();
        // JDK 17 and JDK 25 differ here (25 checks the interrupt on entry); the tracked queue must follow each.
        s.add(new Scenario("transfer (no consumer)", 0, q -> {
            ((TransferQueue<Integer>) q).transfer(9);
            return "transferred";
        }));
        s.add(new Scenario("timed tryTransfer (no consumer)", 0, q -> ((TransferQueue<Integer>) q)
                .tryTransfer(9, 1, TimeUnit.SECONDS)));
        s.add(new Scenario("tryTransfer (no consumer)", 0, q -> ((TransferQueue<Integer>) q).tryTransfer(9)));
        return s;
    }

    /** put, offer, timed offer and add each call the internal transfer directly: one count each. */
    @Test
    void everyProducerMethodCountsOnce() throws Exception {
        final TrackedLinkedTransferQueue<Integer> q = create();
        q.put(1);
        assertThat(q.offer(2)).isTrue();
        assertThat(q.offer(3, 1, TimeUnit.SECONDS)).isTrue();
        assertThat(q.add(4)).isTrue();
        assertThat(q.addAll(range(5, 6))).isTrue();
        assertThat(q).hasSize(6);
        assertCounts(probe, "in=6");
    }

    @Test
    void tryTransferWithoutAWaitingConsumerIsDroppedAndNotQueued() {
        final TrackedLinkedTransferQueue<Integer> q = create();
        assertThat(q.tryTransfer(1)).isFalse();
        assertThat(q).isEmpty();
        assertCounts(probe, "dropped=1");
    }

    @Test
    void tryTransferToAWaitingConsumer() throws Exception {
        final TrackedLinkedTransferQueue<Integer> q = create();
        final Counters.Call<Integer> consumer = Counters.inBackground(q::take);
        while (!q.hasWaitingConsumer()) {
            Thread.sleep(1);
        }
        assertThat(q.tryTransfer(5)).isTrue();
        assertThat(consumer.returned()).isEqualTo(5);
        assertCounts(probe, "in=1 out=1 waited=1");
    }

    @Test
    void transferWaitsForAConsumerAndCountsOneBlock() throws Exception {
        final TrackedLinkedTransferQueue<Integer> q = create();
        final Counters.Call<Void> producer = Counters.inBackground(() -> q.transfer(8));
        Counters.awaitTotal(probe, Slot.BLOCKED, 1);
        while (q.isEmpty()) {
            Thread.sleep(1);
        }
        assertThat(q.take()).isEqualTo(8);
        producer.returned();
        assertCounts(probe, "in=1 out=1 blocked=1");
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(1);
    }

    @Test
    void timedTryTransferThatTimesOutIsBlockedThenDroppedAndWithdrawn() throws Exception {
        final TrackedLinkedTransferQueue<Integer> q = create();
        assertThat(q.tryTransfer(1, 20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(q.tryTransfer(2, 0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(q).isEmpty();
        assertCounts(probe, "blocked=1 dropped=2");
    }

    @Test
    void transferringProducersAndTakingConsumersAreCountedExactly() throws Exception {
        final TrackedLinkedTransferQueue<Integer> q = create();
        final int perProducer = 5_000;
        final AtomicLong taken = new AtomicLong();
        final List<Counters.Task> tasks = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            tasks.add(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.transfer(i);
                }
            });
            tasks.add(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.take();
                    taken.incrementAndGet();
                }
            });
        }
        Counters.runConcurrently(tasks);
        assertThat(taken.get()).isEqualTo(2L * perProducer);
        assertThat(probe.total(Slot.IN)).isEqualTo(2L * perProducer);
        assertThat(probe.total(Slot.OUT)).isEqualTo(2L * perProducer);
        assertThat(probe.total(Slot.DROPPED)).isZero();
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(probe.total(Slot.BLOCKED));
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(probe.total(Slot.WAITED));
    }
}
