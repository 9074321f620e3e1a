package io.hotpath.agent.instrument.method;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
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

    /** As {@link Timed}, plus the size of the first argument (a collection) as batch size or fan-out. */
    static final class SizedByCollection {
        private SizedByCollection() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) Collection<?> items) {
            final Probe p = Probes.get(id);
            try {
                final int n = items == null ? 0 : items.size();
                p.increment(Slot.BATCHES);
                p.add(Slot.BATCH_ITEMS, n);
                p.record(Dist.SIZE, n);
                return p.begin();
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

    /** As {@link Timed}, plus the length of the first argument (an array) as batch size or fan-out. */
    static final class SizedByArray {
        private SizedByArray() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) Object array) {
            final Probe p = Probes.get(id);
            try {
                final int n = array == null ? 0 : java.lang.reflect.Array.getLength(array);
                p.increment(Slot.BATCHES);
                p.add(Slot.BATCH_ITEMS, n);
                p.record(Dist.SIZE, n);
                return p.begin();
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
