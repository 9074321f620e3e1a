package io.hotpath.agent.instrument.aeron;

import io.aeron.DirectBufferVector;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.SendOutcomes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Aeron's publications and subscription. The publication's channel and stream id are read from its
 * package-private fields, which the inlined code can see from inside {@code io.aeron}; only the vector offer names an
 * Aeron type ({@link OfferVector}).
 */
final class AeronAdvice {
    static final String STREAM_PREFIX = "aeron.publication";

    private AeronAdvice() {}

    /** offer(DirectBuffer, int offset, int length, ReservedValueSupplier). */
    static final class Offer {
        private Offer() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
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
            return Probes.begin(id);
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
            return Probes.begin(id);
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

    /**
     * offer(DirectBufferVector[], ReservedValueSupplier): bytes are the vectors' lengths summed, read only when the
     * offer succeeded (Aeron validated and summed them itself, so the walk cannot throw and is as long as the call's
     * own). The one advice that names an Aeron type: it is inlined into Aeron's classes, where the type resolves.
     */
    static final class OfferVector {
        private OfferVector() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("channel") String channel,
                @Advice.FieldValue("streamId") int streamId,
                @Advice.Argument(0) Object[] vectors,
                @Advice.Enter long start,
                @Advice.Return long result,
                @Advice.Thrown Throwable thrown) {
            long length = 0L;
            if (result > 0L && thrown == null) {
                for (int i = 0; i < vectors.length; i++) {
                    length += ((DirectBufferVector) vectors[i]).length();
                }
            }
            SendOutcomes.offered(Probes.get(id), self, STREAM_PREFIX, channel, streamId, result, length, start, thrown);
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
