package io.hotpath.agent.instrument.netty;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.Episodes;
import io.hotpath.bootstrap.ipc.GroupFutures;
import io.hotpath.bootstrap.ipc.OutboundBuffers;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Netty's {@code ChannelOutboundBuffer}, {@code DefaultChannelGroup},
 * {@code DefaultChannelGroupFuture} and {@code SingleThreadEventExecutor}. It refers to no Netty
 * type (only the recording core and {@code java.*}), so the agent needs no Netty on its class path and works with
 * whichever Netty the application brings.
 */
final class NettyAdvice {
    private NettyAdvice() {}

    /** addMessage(Object msg, int size, ChannelPromise): one outbound message of {@code size} bytes queued. */
    static final class AddMessage {
        private AddMessage() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id, @Advice.Argument(1) int size) {
            OutboundBuffers.queued(id, size);
        }
    }

    /** addFlush(): one flush of the queued messages. */
    static final class AddFlush {
        private AddFlush() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id) {
            OutboundBuffers.flushed(id);
        }
    }

    /** remove(): a flushed message written (true) and released. */
    static final class Remove {
        private Remove() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Return boolean removed) {
            if (removed) {
                OutboundBuffers.written(id);
            }
        }
    }

    /**
     * removeBytes(long): the messages a gathering write completed are removed, one {@code remove()} each; they are
     * added to the probe once, at the end ({@link OutboundBuffers#gatherBegin}).
     */
    static final class RemoveBytes {
        private RemoveBytes() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@ProbeId int id) {
            return OutboundBuffers.gatherBegin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Enter boolean claimed) {
            OutboundBuffers.gatherEnd(id, claimed);
        }
    }

    /** remove(Throwable): a flushed message failed. */
    static final class Fail {
        private Fail() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Return boolean removed) {
            if (removed) {
                OutboundBuffers.failed(id);
            }
        }
    }

    /**
     * setUnwritable(boolean): counts the transition writable to unwritable and starts timing the episode, once per
     * episode however many threads see it.
     */
    static final class Unwritable {
        private Unwritable() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int enter(@Advice.FieldValue("unwritable") int before) {
            return before;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Enter int before,
                @Advice.FieldValue("unwritable") int after) {
            // Several writing threads may each see the same transition; only the one that opens the episode counts it.
            if (before == 0 && after != 0) {
                Episodes.began(id, Slot.UNWRITABLE, self);
            }
        }
    }

    /** setWritable(boolean): ends an unwritable episode; its duration goes to the wait distribution. */
    static final class Writable {
        private Writable() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int enter(@Advice.FieldValue("unwritable") int before) {
            return before;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Enter int before,
                @Advice.FieldValue("unwritable") int after) {
            if (before != 0 && after == 0) {
                Episodes.ended(id, Dist.WAIT, self);
            }
        }
    }

    /**
     * DefaultChannelGroup write/writeAndFlush(Object, ChannelMatcher, boolean voidPromise): one broadcast to the
     * group's channels (recipients = group size at the call; a matcher may select fewer). Latency is the time to hand
     * the message to every channel's event loop; the returned future is tagged ({@link GroupFutures}) so that
     * {@link GroupDone} can count failed recipients and time the completion of every write. The exit differs only in
     * which of the two group probes it names ({@link BroadcastWrite}, {@link BroadcastFlush}).
     */
    static final class Broadcast {
        private Broadcast() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.This Set<?> group) {
            return GroupFutures.broadcast(id, group);
        }
    }

    /** Exit of {@code write}: {@link GroupFutures#FIRST}. A void promise's future never completes: not followed. */
    static final class BroadcastWrite {
        private BroadcastWrite() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.Enter long start,
                @Advice.Argument(2) boolean voidPromise,
                @Advice.Return Object future,
                @Advice.Thrown Throwable thrown) {
            GroupFutures.broadcastDone(id, GroupFutures.FIRST, start, voidPromise, future, thrown);
        }
    }

    /** Exit of {@code writeAndFlush}: {@link GroupFutures#SECOND}. */
    static final class BroadcastFlush {
        private BroadcastFlush() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.Enter long start,
                @Advice.Argument(2) boolean voidPromise,
                @Advice.Return Object future,
                @Advice.Thrown Throwable thrown) {
            GroupFutures.broadcastDone(id, GroupFutures.SECOND, start, voidPromise, future, thrown);
        }
    }

    /**
     * DefaultChannelGroupFuture setSuccess0() / setFailure0(ChannelGroupException): every recipient's write completed;
     * runs once per group future, on the thread that completed the last write. Futures of other group operations
     * (close, disconnect) carry no tag and are ignored. The clock is read before the future notifies its listeners,
     * and only for a future sampled for timing.
     */
    static final class GroupDone {
        private GroupDone() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.This Object self) {
            return GroupFutures.timed(self) ? System.nanoTime() : 0L;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @ProbeId int write,
                @FlushProbeId int writeAndFlush,
                @Advice.This Object self,
                @Advice.Enter long end,
                @Advice.FieldValue("failureCount") int failures) {
            GroupFutures.completed(write, writeAndFlush, self, failures, end);
        }
    }

    /**
     * ChannelOutboundBuffer(AbstractChannel) and SingleThreadEventExecutor doStartThread(): remembers the buffer (one
     * per channel) or the event loop (once, when its thread starts) weakly, so the agent's thread can read its pending
     * bytes or tasks. Once per channel or loop, never per message; at most {@link Probe#MAX_TRACKED_INSTANCES} per
     * probe.
     */
    static final class Track {
        private Track() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.This Object self) {
            Probes.track(id, self);
        }
    }
}
