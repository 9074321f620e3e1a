package io.hotpath.agent.instrument.aeron;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.SendOutcomes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Aeron's publications and subscription. Refers to no Aeron type: the publication's channel and
 * stream id are read from its package-private fields, which the inlined code can see from inside {@code io.aeron}.
 */
final class AeronAdvice {
    static final String STREAM_PREFIX = "aeron.publication";

    private AeronAdvice() {}

    /** offer(DirectBuffer, int offset, int length, ReservedValueSupplier). */
    static final class Offer {
        private Offer() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            final Probe p = Probes.get(id);
            try {
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("channel") String channel,
                @Advice.FieldValue("streamId") int streamId,
                @Advice.Argument(2) int length,
                @Advice.Enter long start,
                @Advice.Return long result,
                @Advice.Thrown Throwable thrown) {
            SendOutcomes.offered(Probes.get(id), self, STREAM_PREFIX, channel, streamId, result, length, start, thrown);
        }
    }

    /** offer(DirectBuffer, int, int length, DirectBuffer, int, int length, ReservedValueSupplier). */
    static final class OfferTwo {
        private OfferTwo() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            final Probe p = Probes.get(id);
            try {
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("channel") String channel,
                @Advice.FieldValue("streamId") int streamId,
                @Advice.Argument(2) int first,
                @Advice.Argument(5) int second,
                @Advice.Enter long start,
                @Advice.Return long result,
                @Advice.Thrown Throwable thrown) {
            SendOutcomes.offered(
                    Probes.get(id),
                    self,
                    STREAM_PREFIX,
                    channel,
                    streamId,
                    result,
                    (long) first + second,
                    start,
                    thrown);
        }
    }

    /** tryClaim(int length, BufferClaim). */
    static final class Claim {
        private Claim() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            final Probe p = Probes.get(id);
            try {
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("channel") String channel,
                @Advice.FieldValue("streamId") int streamId,
                @Advice.Argument(0) int length,
                @Advice.Enter long start,
                @Advice.Return long result,
                @Advice.Thrown Throwable thrown) {
            SendOutcomes.offered(Probes.get(id), self, STREAM_PREFIX, channel, streamId, result, length, start, thrown);
        }
    }

    /** offer(DirectBufferVector[], ReservedValueSupplier): outcome counted, bytes not (they would need a loop over Aeron types). */
    static final class OfferVector {
        private OfferVector() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            final Probe p = Probes.get(id);
            try {
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("channel") String channel,
                @Advice.FieldValue("streamId") int streamId,
                @Advice.Enter long start,
                @Advice.Return long result,
                @Advice.Thrown Throwable thrown) {
            SendOutcomes.offered(Probes.get(id), self, STREAM_PREFIX, channel, streamId, result, 0L, start, thrown);
        }
    }

    /** Subscription.poll(FragmentHandler, int): fragments per poll as a batch size. */
    static final class Poll {
        private Poll() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Return int fragments) {
            final Probe p = Probes.get(id);
            try {
                p.increment(Slot.CALLS);
                if (fragments > 0) {
                    p.increment(Slot.BATCHES);
                    p.add(Slot.BATCH_ITEMS, fragments);
                    p.add(Slot.OUT, fragments);
                    p.record(Dist.SIZE, fragments);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }
}
