package io.hotpath.agent.instrument.advice;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hand-off between application threads that need the deferred advice and the agent's thread that does the work. An
 * application thread only stores a request in its {@link DeferredAdvice} gate: starting a thread there would allocate
 * and start it on the application's time, and waking the agent's thread would take the lock of its parker. The agent's
 * background thread calls {@link #serve} each time it wakes, which starts the requested work on a thread of the
 * agent's own, and parks no longer than {@link #parkNanos} allows, so that a request is taken up within {@link
 * #POLL_NANOS} however idle the agent is.
 */
public final class AdviceRequests {
    /**
     * The longest a request waits for the agent's thread while it is idle: the default tick, so a ticking loop wakes
     * no more often than it did; only a loop stretched by idleness wakes more often, and only until the advice is
     * built and swapped in.
     */
    public static final long POLL_NANOS = 100_000_000L;

    private static final List<DeferredAdvice> GATES = new CopyOnWriteArrayList<>();

    private AdviceRequests() {}

    static void register(DeferredAdvice gate) {
        GATES.add(gate);
    }

    /** On the agent's background thread: starts the work the application asked for since the last call. */
    public static void serve() {
        for (DeferredAdvice g : GATES) {
            g.serve();
        }
    }

    /** How long the agent's thread may park when its next tick is {@code waitNanos} away. */
    public static long parkNanos(long waitNanos) {
        if (waitNanos > POLL_NANOS) {
            for (DeferredAdvice g : GATES) {
                if (g.listening()) {
                    return POLL_NANOS;
                }
            }
        }
        return waitNanos;
    }
}
