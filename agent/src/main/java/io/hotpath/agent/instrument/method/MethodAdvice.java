package io.hotpath.agent.instrument.method;

import io.hotpath.agent.instrument.advice.CallAdvice;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Probes;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/**
 * Advice for methods the user names, beyond the plain timed call ({@link CallAdvice}): the entries of methods whose
 * first argument is a batch. Inlined into the method: counts the call, times a sample, counts a throw. A fault in the
 * recording disables the probe instead of reaching the application; the advice itself suppresses anything that
 * escapes.
 */
final class MethodAdvice {
    private MethodAdvice() {}

    /** Entry of a timed call ({@link CallAdvice.End} is its exit), plus the size of the first argument (a collection) as batch size or fan-out. */
    static final class SizedByCollection {
        private SizedByCollection() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) Collection<?> items) {
            return Probes.beginBatch(id, items);
        }
    }

    /** Entry of a timed call ({@link CallAdvice.End} is its exit), plus the length of the first argument (an array) as batch size or fan-out. */
    static final class SizedByArray {
        private SizedByArray() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) Object array) {
            return Probes.beginBatchOfArray(id, array);
        }
    }
}
