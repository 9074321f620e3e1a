package io.hotpath.it.apps;

import java.util.Map;

/**
 * The agent's advice threads ({@code hotpath-advice}) as a program sees them: the daemon threads that build the
 * deferred advice and swap it into the classes defined before it, one after another. While one is alive, or may start
 * still, the advice may not be in place yet; once none is, it is in place for every target class loaded.
 */
final class AdviceThreads {
    static final String NAME = "hotpath-advice";

    private AdviceThreads() {}

    /** Whether an advice thread is inside a method whose name starts with {@code method} now. */
    static boolean inside(String method) {
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().equals(NAME)) {
                for (StackTraceElement f : e.getValue()) {
                    if (f.getMethodName().startsWith(method)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether an advice thread was seen inside {@code method} within {@code nanos}. */
    static boolean awaitInside(String method, long nanos) throws InterruptedException {
        final long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() < deadline) {
            if (inside(method)) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    /** Whether an advice thread is alive now: the advice may not be in place yet. */
    static boolean alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(NAME));
    }

    /**
     * How long no advice thread must be alive before the advice counts as in place: the agent's background thread
     * takes up a program's request for the advice when it wakes, and only then starts the advice thread, so a program
     * that has just used a library may see none for a moment before it sees one.
     */
    private static final long QUIET_NANOS = 1_000_000_000L;

    /**
     * Waits at most {@code nanos} until no advice thread has been alive for {@link #QUIET_NANOS}; whether that
     * happened.
     */
    static boolean awaitNone(long nanos) throws InterruptedException {
        final long deadline = System.nanoTime() + nanos;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (alive()) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= QUIET_NANOS) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }
}
