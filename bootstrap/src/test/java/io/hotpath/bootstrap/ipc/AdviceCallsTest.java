package io.hotpath.bootstrap.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.nio.ByteBuffer;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one-call entry points socket, Netty and Aeron advice use ({@link Endpoints}, {@link OutboundBuffers},
 * {@link Episodes}, {@link GroupFutures}): what each records, and that a fault inside disables the probe instead of
 * reaching the caller.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AdviceCallsTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private static Probe probe(String what) {
        return Probes.register(
                "test.advice-calls." + what + "." + System.nanoTime() + "." + UNIQUE.incrementAndGet(),
                PathKind.IPC,
                Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE) | Dist.bit(Dist.WAIT));
    }

    @Test
    void gatheringWriteOffersTheRemainingBytesOfItsRangeAndNothingForARangeTheJdkRejects() {
        final ByteBuffer[] srcs = {ByteBuffer.allocate(3), ByteBuffer.allocate(5), ByteBuffer.allocate(7)};
        assertThat(Endpoints.remaining(srcs, 0, 3)).isEqualTo(15);
        assertThat(Endpoints.remaining(srcs, 1, 2)).isEqualTo(12);
        assertThat(Endpoints.remaining(srcs, 1, 0)).isZero();
        assertThat(Endpoints.remaining(srcs, 2, 2)).isZero();
        assertThat(Endpoints.remaining(srcs, -1, 1)).isZero();
        assertThat(Endpoints.remaining(srcs, 0, Integer.MAX_VALUE)).isZero();
        assertThat(Endpoints.remaining(null, 0, 0)).isZero();
        assertThat(Endpoints.remaining(new ByteBuffer[] {null}, 0, 1)).isZero();
    }

    @Test
    void connectionsOpenAndCloseOnTheOperationProbeAndTheirEndpoint() {
        final Probe channels = probe("channels");
        final Object channel = new Object();
        Endpoints.channelOpened(channels.id(), channel, "test.advice-calls to", "peer-" + UNIQUE.incrementAndGet());
        final Probe endpoint = Endpoints.attached(channel);
        assertThat(endpoint).isNotNull();
        Endpoints.channelClosed(channels.id(), channel);
        assertThat(channels.total(Slot.OPENED)).isEqualTo(1);
        assertThat(channels.total(Slot.CLOSED)).isEqualTo(1);
        assertThat(endpoint.total(Slot.OPENED)).isEqualTo(1);
        assertThat(endpoint.total(Slot.CLOSED)).isEqualTo(1);

        final Probe sockets = probe("sockets");
        final Object socket = new Object();
        Endpoints.socketAccepted(sockets.id(), socket, "test.advice-calls at", 65000 + UNIQUE.incrementAndGet() % 500);
        assertThat(Endpoints.attached(socket)).isNotNull();
        Endpoints.socketClosed(sockets.id(), socket);
        assertThat(sockets.total(Slot.OPENED)).isEqualTo(1);
        assertThat(sockets.total(Slot.CLOSED)).isEqualTo(1);
        assertThat(Endpoints.attached(socket)).isNull();
    }

    @Test
    void streamAndDatagramExitsCountBytesErrorsAndNothingForAnEmptyReceive() {
        final Probe read = probe("stream-read");
        final Object socket = new Object();
        Endpoints.streamReadDone(read.id(), socket, Probes.begin(read.id()), 40, null);
        Endpoints.streamReadDone(read.id(), socket, Probes.begin(read.id()), -1, new java.io.IOException("reset"));
        assertThat(read.total(Slot.CALLS)).isEqualTo(2);
        assertThat(read.total(Slot.ERRORS)).isEqualTo(1);
        assertThat(read.total(Slot.BYTES_IN)).isEqualTo(40);

        final Probe write = probe("stream-write");
        Endpoints.streamWriteDone(write.id(), socket, Probes.begin(write.id()), 25, null);
        Endpoints.partial(write.id(), socket);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(25);
        assertThat(write.total(Slot.PARTIAL)).isEqualTo(1);

        final Probe receive = probe("receive");
        final Object channel = new Object();
        final String local = "local-" + UNIQUE.incrementAndGet();
        Endpoints.receiveDone(receive.id(), channel, local, null, Probes.begin(receive.id()), -1, null);
        assertThat(Endpoints.attached(channel)).isNull();
        Endpoints.receiveDone(receive.id(), channel, local, null, Probes.begin(receive.id()), 12, null);
        assertThat(receive.total(Slot.CALLS)).isEqualTo(2);
        assertThat(receive.total(Slot.OUT)).isEqualTo(1);
        assertThat(receive.total(Slot.BYTES_IN)).isEqualTo(12);

        final Probe send = probe("send");
        Endpoints.sendDone(send.id(), channel, local, null, Probes.begin(send.id()), 9, 9, null);
        Endpoints.sendDone(send.id(), channel, local, null, Probes.begin(send.id()), 0, 9, null);
        Endpoints.sendDone(send.id(), channel, local, null, Probes.begin(send.id()), 0, 9, new java.io.IOException());
        assertThat(send.total(Slot.IN)).isEqualTo(1);
        assertThat(send.total(Slot.DROPPED)).isEqualTo(1);
        assertThat(send.total(Slot.ERRORS)).isEqualTo(1);
        final Probe endpoint = Endpoints.attached(channel);
        Endpoints.datagramChannelClosed(send.id(), channel);
        assertThat(endpoint.total(Slot.CLOSED)).isEqualTo(1);
    }

    @Test
    void outboundBufferCountsEveryMessageWithItsBytesAndSizesTheSampledOnes() {
        final Probe p = probe("outbound");
        OutboundBuffers.queued(p.id(), 128);
        OutboundBuffers.queued(p.id(), 64);
        OutboundBuffers.flushed(p.id());
        OutboundBuffers.written(p.id());
        OutboundBuffers.failed(p.id());
        assertThat(p.total(Slot.IN)).isEqualTo(2);
        assertThat(p.total(Slot.BYTES_OUT)).isEqualTo(192);
        assertThat(p.total(Slot.BATCHES)).isEqualTo(1);
        assertThat(p.total(Slot.OUT)).isEqualTo(1);
        assertThat(p.total(Slot.ERRORS)).isEqualTo(1);
        final long[] sizes = new long[io.hotpath.bootstrap.BucketHistogram.LENGTH];
        assertThat(p.readDist(Dist.SIZE, sizes)).isTrue();
        assertThat(io.hotpath.bootstrap.BucketHistogram.count(sizes)).isPositive(); // the first call is sampled
    }

    @Test
    void outboundBufferCountsStayExactFromSeveralEventLoops() throws Exception {
        final Probe p = probe("outbound-threads");
        final int perThread = 200_000;
        final Thread[] loops = new Thread[4];
        for (int t = 0; t < loops.length; t++) {
            loops[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    OutboundBuffers.queued(p.id(), 100);
                    OutboundBuffers.flushed(p.id());
                    OutboundBuffers.written(p.id());
                }
            });
            loops[t].start();
        }
        for (Thread t : loops) {
            t.join();
        }
        final long messages = (long) perThread * loops.length;
        assertThat(p.total(Slot.IN)).isEqualTo(messages);
        assertThat(p.total(Slot.BYTES_OUT)).isEqualTo(messages * 100);
        assertThat(p.total(Slot.BATCHES)).isEqualTo(messages);
        assertThat(p.total(Slot.OUT)).isEqualTo(messages);
    }

    @Test
    void aGatheringWriteAddsItsWrittenMessagesOnceWhenItEndsAndANestedOneCountsIntoTheOuter() {
        final Probe p = probe("gathering");
        final Probe other = probe("gathering-other");
        final boolean outer = OutboundBuffers.gatherBegin(p.id());
        assertThat(outer).isTrue();
        OutboundBuffers.written(p.id());
        OutboundBuffers.written(p.id());
        assertThat(p.total(Slot.OUT)).isZero();
        final boolean nested = OutboundBuffers.gatherBegin(p.id());
        assertThat(nested).isFalse();
        assertThat(p.total(Slot.OUT))
                .as("a nested write hands over what the outer one counted")
                .isEqualTo(2);
        OutboundBuffers.written(p.id());
        OutboundBuffers.gatherEnd(p.id(), nested);
        OutboundBuffers.written(other.id()); // another probe's message is not the claimed write's
        assertThat(p.total(Slot.OUT)).isEqualTo(2);
        assertThat(other.total(Slot.OUT)).isEqualTo(1);
        OutboundBuffers.gatherEnd(p.id(), outer);
        assertThat(p.total(Slot.OUT)).isEqualTo(3);
        OutboundBuffers.written(p.id());
        assertThat(p.total(Slot.OUT)).isEqualTo(4);
    }

    @Test
    void aCellLeftClaimedByAThrowableLosesNoCountOnlyDelaysIt() {
        // A throwable between begin and end (a StackOverflowError inside the advice) leaves the thread's cell claimed:
        // its later messages count into the cell, and each later gathering write of the thread hands them over.
        final Probe p = probe("gathering-stale");
        assertThat(OutboundBuffers.gatherBegin(p.id())).isTrue();
        OutboundBuffers.written(p.id());
        OutboundBuffers.written(p.id());
        // no gatherEnd: the write's end was lost
        assertThat(OutboundBuffers.gatherBegin(p.id())).isFalse();
        assertThat(p.total(Slot.OUT)).isEqualTo(2);
        OutboundBuffers.written(p.id());
        assertThat(OutboundBuffers.gatherBegin(p.id())).isFalse();
        assertThat(p.total(Slot.OUT)).isEqualTo(3);
        OutboundBuffers.gatherEnd(p.id(), true); // frees the cell for the other tests on this thread
        assertThat(p.total(Slot.OUT)).isEqualTo(3);
    }

    @Test
    void gatheringWritesOfThreadsThatShareACellStayExact() throws Exception {
        final Probe p = probe("gathering-shared");
        // Thread ids are handed out at construction: find two whose ids land on the same cell.
        final int rounds = 100_000;
        final Runnable writes = () -> {
            for (int i = 0; i < rounds; i++) {
                final boolean claimed = OutboundBuffers.gatherBegin(p.id());
                OutboundBuffers.written(p.id());
                OutboundBuffers.written(p.id());
                OutboundBuffers.gatherEnd(p.id(), claimed);
                OutboundBuffers.written(p.id());
            }
        };
        final Thread first = new Thread(writes);
        Thread second = new Thread(writes);
        while ((second.getId() - first.getId()) % OutboundBuffers.GATHER_CELLS != 0) {
            second = new Thread(writes);
        }
        first.start();
        second.start();
        first.join();
        second.join();
        assertThat(p.total(Slot.OUT)).isEqualTo(2L * rounds * 3);
    }

    @Test
    void anEpisodeSeenTwiceIsCountedOnceAndTimedWhenItEnds() {
        final Probe p = probe("episode");
        final Object channel = new Object();
        Episodes.began(p.id(), Slot.UNWRITABLE, channel);
        Episodes.began(p.id(), Slot.UNWRITABLE, channel);
        assertThat(p.total(Slot.UNWRITABLE)).isEqualTo(1);
        Episodes.ended(p.id(), Dist.WAIT, channel);
        final long[] wait = new long[io.hotpath.bootstrap.BucketHistogram.LENGTH];
        assertThat(p.readDist(Dist.WAIT, wait)).isTrue();
        assertThat(io.hotpath.bootstrap.BucketHistogram.count(wait)).isEqualTo(1);
    }

    @Test
    void aBroadcastWhoseGroupFailsDisablesItsProbeAndReturnsNormally() {
        final Probe ok = probe("broadcast");
        final long start = GroupFutures.broadcast(ok.id(), Set.of("a", "b", "c"));
        GroupFutures.broadcastDone(ok.id(), GroupFutures.FIRST, start, true, null, null);
        assertThat(ok.total(Slot.BATCHES)).isEqualTo(1);
        assertThat(ok.total(Slot.BATCH_ITEMS)).isEqualTo(3);
        assertThat(ok.total(Slot.CALLS)).isEqualTo(1);

        final Probe p = probe("broadcast-fault");
        final Set<Object> broken = new AbstractSet<>() {
            @Override
            public Iterator<Object> iterator() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int size() {
                throw new IllegalStateException("size fails");
            }
        };
        assertThat(GroupFutures.broadcast(p.id(), broken)).isZero();
        assertThat(p.disabled()).isTrue();
        GroupFutures.broadcastDone(p.id(), GroupFutures.FIRST, 0L, false, null, new RuntimeException("app"));
        assertThat(p.total(Slot.ERRORS)).isZero();
    }
}
