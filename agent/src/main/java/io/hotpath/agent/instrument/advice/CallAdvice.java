package io.hotpath.agent.instrument.advice;

import io.hotpath.bootstrap.Probes;
import net.bytebuddy.asm.Advice;

/**
 * The entry and exit advice of a timed call, shared by every module whose call needs nothing more on one side: pass
 * {@link Begin} as the entry and a module's own class as the exit (or the other way round) to
 * {@code AgentBuilder.Transformer.ForAdvice.advice(matcher, enter, exit)}. Inlined like all advice; the recording,
 * and its guard against faults, is in {@link Probes}.
 */
public final class CallAdvice {
    private CallAdvice() {}

    /** Entry: counts the call on its probe and returns its start time when the call is sampled, else 0. */
    public static final class Begin {
        private Begin() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }
    }

    /** Exit of a call begun with {@link Begin} (or an entry returning the same start time): latency and errors. */
    public static final class End {
        private End() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
            Probes.end(id, start, thrown);
        }
    }
}
