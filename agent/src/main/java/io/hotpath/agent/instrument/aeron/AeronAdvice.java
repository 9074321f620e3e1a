package io.hotpath.agent.instrument.aeron;

import io.aeron.Publication;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.ipc.Polls;
import io.hotpath.bootstrap.ipc.Publications;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Aeron's publications and subscription. A successful offer runs nothing of ours: what it sent,
 * Aeron counts itself in the publication's position, which the agent reads on its own thread ({@link PositionReader}),
 * and a refused one is counted where Aeron decides the refusal ({@link RefusalSites}). The advice names Aeron's
 * {@code Publication} type only where it is inlined into Aeron's own classes, where the type resolves.
 */
final class AeronAdvice {
    static final String STREAM_PREFIX = "aeron.publication";

    private AeronAdvice() {}

    /** {@link Created} for a class with the {@link StreamField}: the stream probe goes into the field, not a table. */
    static final class CreatedOnField {
        private CreatedOnField() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("channel") String channel,
                @Advice.FieldValue("streamId") int streamId,
                @StreamField.Value int stream) {
            stream = Publications.attached(id, self, STREAM_PREFIX, channel, streamId, ((Publication) self).position());
        }
    }

    /**
     * Constructor of a concrete publication: attaches its stream probe, remembers its position and lets the agent's
     * thread read it from now on (tracked weakly on the operation probe). Once per publication.
     */
    static final class Created {
        private Created() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("channel") String channel,
                @Advice.FieldValue("streamId") int streamId) {
            Publications.created(id, self, STREAM_PREFIX, channel, streamId, ((Publication) self).position());
        }
    }

    /**
     * Aeron.addPublication / addExclusivePublication: remembers which client added the publication, so the agent's
     * thread can read that client's counters (subscriber positions). Once per publication.
     */
    static final class Added {
        private Added() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object client, @Advice.Return Object publication) {
            Publications.client(publication, client);
        }
    }

    /** Publication.close(): the bytes sent since the last read, then the publication is forgotten. */
    static final class Closing {
        private Closing() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self) {
            Publications.closing(self, ((Publication) self).position());
        }
    }

    /**
     * Subscription.poll(FragmentHandler, int): an empty poll records nothing; a poll that returned fragments counts
     * them ({@code out}) and the poll ({@code batches}), and on sampled polls records fragments per poll. A poll whose
     * handler threw counts an error.
     */
    static final class Poll {
        private Poll() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@ProbeId int id, @Advice.Return int fragments, @Advice.Thrown Throwable thrown) {
            if (fragments > 0 || thrown != null) {
                Polls.polled(id, fragments, thrown);
            }
        }
    }
}
