package io.hotpath.agent.instrument.advice;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off between application threads that need the deferred advice and the agent's thread that does the work. An
 * application thread stores a request in its {@link DeferredAdvice} gate and unparks the agent's background thread
 * ({@link #wake}), once per request: starting a thread there would allocate and start it on the application's time,
 * while an unpark only sets the parked thread's permit (its parker's mutex is held for that store, never across a
 * wait). The background thread calls {@link #serve} each time it wakes, which starts the requested work on a thread of
 * the agent's own, and parks no longer than {@link #parkNanos} allows while an instance set up before the advice still
 * waits for adoption.
 */
public final class AdviceRequests {
    /** The longest the agent's thread parks while set-up instances wait for adoption: the default tick. */
    public static final long POLL_NANOS = 100_000_000L;

    private static final List<DeferredAdvice> GATES = new CopyOnWriteArrayList<>();

    /** The thread that serves requests ({@link #servedBy}); null while none does (its first pass serves them). */
    private static volatile Thread server;

    private AdviceRequests() {}

    static void register(DeferredAdvice gate) {
        GATES.add(gate);
    }

    /** Declares the agent's background thread the one that serves requests, or none ({@code null}). */
    public static void servedBy(Thread thread) {
        server = thread;
    }

    /** On an application thread that just made a request: unparks the serving thread. Never waits, never allocates. */
    static void wake() {
        final Thread s = server;
        if (s != null) {
            LockSupport.unpark(s);
        }
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
                if (g.pending()) {
                    return POLL_NANOS;
                }
            }
        }
        return waitNanos;
    }
}
