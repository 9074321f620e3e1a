package io.hotpath.agent.instrument.netty;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.Episodes;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Netty's {@code ChannelOutboundBuffer} and {@code DefaultChannelGroup}. It refers to no Netty
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
            final Probe p = Probes.get(id);
            try {
                final long sampled = p.tick(Slot.IN);
                p.add(Slot.BYTES_OUT, size);
                if (sampled != 0L) {
                    p.record(Dist.SIZE, size);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** addFlush(): one flush of the queued messages. */
    static final class AddFlush {
        private AddFlush() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id) {
            final Probe p = Probes.get(id);
            try {
                p.increment(Slot.BATCHES);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** remove(): a flushed message written (true) and released. */
    static final class Remove {
        private Remove() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Return boolean removed) {
            final Probe p = Probes.get(id);
            try {
                if (removed) {
                    p.increment(Slot.OUT);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** remove(Throwable): a flushed message failed. */
    static final class Fail {
        private Fail() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Return boolean removed) {
            final Probe p = Probes.get(id);
            try {
                if (removed) {
                    p.increment(Slot.ERRORS);
                }
            } catch (Throwable t) {
                p.fail(t);
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
            final Probe p = Probes.get(id);
            try {
                // Several writing threads may each see the same transition; only the one that opens the episode counts
                // it.
                if (before == 0 && after != 0 && Episodes.begin(self)) {
                    p.increment(Slot.UNWRITABLE);
                }
            } catch (Throwable t) {
                p.fail(t);
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
            final Probe p = Probes.get(id);
            try {
                if (before != 0 && after == 0) {
                    Episodes.end(p, Dist.WAIT, self);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /**
     * DefaultChannelGroup write/writeAndFlush(Object, ChannelMatcher, boolean): one broadcast to the group's channels
     * (recipients = group size at the call; a matcher may select fewer). Latency is the time to hand the message to
     * every channel's event loop, not until every write completed.
     */
    static final class Broadcast {
        private Broadcast() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.This Set<?> group) {
            final Probe p = Probes.get(id);
            try {
                final int n = group.size();
                p.increment(Slot.BATCHES);
                p.add(Slot.BATCH_ITEMS, n);
                final long start = p.begin();
                if (start != 0L) {
                    p.record(Dist.SIZE, n);
                }
                return start;
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown == null) {
                    p.end(start);
                } else {
                    p.endWithError(start);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }
}
