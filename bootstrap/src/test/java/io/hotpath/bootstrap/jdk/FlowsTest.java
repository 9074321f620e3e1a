package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Flows;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.Endpoints;
import io.hotpath.bootstrap.ipc.GroupFutures;
import io.hotpath.bootstrap.ipc.Publications;
import io.hotpath.bootstrap.ipc.SendOutcomes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** The pipeline edges learned from sampled takes, runs and puts of the tracked JDK classes. */
@Isolated
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlowsTest {
    @BeforeEach
    void reset() {
        Flows.reset();
    }

    private static Map<String, Long> edges() {
        final Map<String, Long> out = new HashMap<>();
        Flows.forEachEdge((from, to, n) -> out.merge(from + "->" + to, n, Long::sum));
        return out;
    }

    @Test
    void aThreadThatTakesFromOneQueueAndPutsToAnotherMakesAnEdge() throws Exception {
        final Probe a = Counters.queueProbe("a");
        final Probe b = Counters.queueProbe("b");
        final TrackedLinkedBlockingQueue<Integer> qa = new TrackedLinkedBlockingQueue<>(a.id());
        final TrackedLinkedBlockingQueue<Integer> qb = new TrackedLinkedBlockingQueue<>(b.id());
        final Thread producer = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                qa.offer(i);
            }
        });
        producer.start();
        producer.join();
        final Thread stage = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                qb.offer(qa.poll());
            }
        });
        stage.start();
        stage.join();
        assertThat(edges()).containsEntry(Flows.SOURCE + "->" + a.id(), 10L).containsEntry(a.id() + "->" + b.id(), 10L);
    }

    @Test
    void aPoolTaskThatPutsToAQueueMakesAnEdgeFromThePoolAndItsWorkQueueIsPairedWithIt() throws Exception {
        final Probe work = Counters.queueProbe("work");
        final Probe pool = Counters.executorProbe("pool");
        final Probe out = Counters.queueProbe("out");
        final TrackedLinkedBlockingQueue<Runnable> workQueue = new TrackedLinkedBlockingQueue<>(work.id());
        final TrackedLinkedBlockingQueue<Integer> q = new TrackedLinkedBlockingQueue<>(out.id());
        final TrackedThreadPoolExecutor p = new TrackedThreadPoolExecutor(
                1,
                1,
                0L,
                TimeUnit.MILLISECONDS,
                workQueue,
                TrackedThreadPoolExecutorTest.QUIET,
                PoolRecorder.DEFAULT_HANDLER,
                pool.id());
        try {
            final CountDownLatch done = new CountDownLatch(5);
            final CountDownLatch started = new CountDownLatch(1);
            p.execute(() -> {
                try {
                    started.await(); // the next tasks wait in the work queue
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
            for (int i = 0; i < 4; i++) {
                p.execute(() -> {
                    q.offer(1);
                    done.countDown();
                });
            }
            started.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.shutdownNow();
        }
        final Map<String, Long> e = edges();
        assertThat(e).containsEntry(pool.id() + "->" + out.id(), 4L);
        assertThat(e).containsKey(work.id() + "->" + pool.id());
        assertThat(e).containsEntry(Flows.SOURCE + "->" + pool.id(), 5L);
        // The pool offers each task to its work queue on the submitting thread, which took from nothing.
        assertThat(e.keySet())
                .filteredOn(k -> k.endsWith("->" + work.id()))
                .containsOnly(Flows.SOURCE + "->" + work.id());
    }

    @Test
    void unsampledCallsRecordNoEdge() throws Exception {
        final Probe a = Counters.queueProbe("a");
        a.sampleMask(1023);
        final TrackedLinkedBlockingQueue<Integer> qa = new TrackedLinkedBlockingQueue<>(a.id());
        final Thread producer = new Thread(() -> {
            for (int i = 0; i < 2048; i++) {
                qa.offer(i);
            }
        });
        producer.start();
        producer.join();
        // One sample in 1,024 offers on the producer's own row, starting with the first.
        assertThat(edges()).containsOnly(Map.entry(Flows.SOURCE + "->" + a.id(), 2L));
    }

    @Test
    void aStageThatWritesToASocketOrIsRefusedByAPublicationMakesAnEdgeFromItsQueue() throws Exception {
        final Probe a = Counters.queueProbe("a");
        final Probe socket = Probes.register("test.flows.net#write", PathKind.IPC, 0);
        final Probe offer = Probes.register("test.flows.aeron#offer", PathKind.IPC, 0);
        final Probe group = Probes.register("test.flows.group#writeAndFlush", PathKind.BROADCAST, 0);
        socket.sampleMask(0);
        offer.sampleMask(3);
        group.sampleMask(0);
        final TrackedLinkedBlockingQueue<Integer> qa = new TrackedLinkedBlockingQueue<>(a.id());
        qa.offer(1);
        final Object publication = new Object();
        Publications.created(publication, "test.flows.aeron", "aeron:ipc", 9, 0L);
        final Probe stream = Probes.register("test.flows.aeron aeron:ipc stream 9", PathKind.IPC, 0);
        final Thread stage = new Thread(() -> {
            qa.poll();
            // A timed write (the socket probe times every call), an untimed one, 8 refusals (2 sampled),
            // and a sampled broadcast to a channel group.
            final Object channel = new Object();
            final java.nio.ByteBuffer taken = java.nio.ByteBuffer.allocate(0);
            final long token = Endpoints.beginWrite(channel, null, socket.id(), socket.id());
            Endpoints.writeDone(channel, null, socket.id(), socket.id(), token, 10, taken, null);
            Endpoints.writeDone(channel, null, socket.id(), socket.id(), 0L, 10, taken, null);
            for (int i = 0; i < 8; i++) {
                Publications.refused(SendOutcomes.BACK_PRESSURED, offer.id(), publication);
            }
            GroupFutures.broadcast(group.id(), java.util.Set.of());
        });
        stage.start();
        stage.join();
        assertThat(edges())
                .containsEntry(a.id() + "->" + socket.id(), 1L)
                .containsEntry(a.id() + "->" + offer.id(), 2L)
                .containsEntry(a.id() + "->" + stream.id(), 2L)
                .containsEntry(a.id() + "->" + group.id(), 1L);
        assertThat(offer.total(Slot.DROPPED)).isEqualTo(8);
    }

    @Test
    void aFullTableCountsTheSamplesItDrops() {
        Flows.capacity(16);
        try {
            for (int to = 0; to < 64; to++) {
                Flows.put(1000 + to);
            }
            assertThat(edges()).hasSize(16);
            assertThat(Flows.overflow()).isEqualTo(48);
        } finally {
            Flows.capacity(Flows.DEFAULT_CAPACITY);
        }
    }
}
