package io.hotpath.agent.instrument.method;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Probes;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/**
 * Advice for methods the user names. Inlined into the method: counts the call, times a sample, counts a throw. A
 * fault in the recording disables the probe instead of reaching the application; the advice itself suppresses
 * anything that escapes.
 */
final class MethodAdvice {
    private MethodAdvice() {}

    /** Calls, errors, latency. */
    static final class Timed {
        private Timed() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
            Probes.end(id, start, thrown);
        }
    }

    /** Entry of {@link Timed}, plus the size of the first argument (a collection) as batch size or fan-out. */
    static final class SizedByCollection {
        private SizedByCollection() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) Collection<?> items) {
            return Probes.beginBatch(id, items);
        }
    }

    /** Entry of {@link Timed}, plus the length of the first argument (an array) as batch size or fan-out. */
    static final class SizedByArray {
        private SizedByArray() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) Object array) {
            return Probes.beginBatchOfArray(id, array);
        }
    }
}
