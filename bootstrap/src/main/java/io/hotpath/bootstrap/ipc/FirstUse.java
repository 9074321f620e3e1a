package io.hotpath.bootstrap.ipc;

import java.util.function.Consumer;

/**
 * A one-shot signal that the application itself has started to use a JDK class the agent's own threads loaded first.
 *
 * <p>The agent prepares its socket advice only once the application touches the network, because the preparation
 * (Byte Buddy and its matchers) costs a few hundred milliseconds of CPU and tens of MiB. The agent's OTLP exporter
 * loads {@code sun.nio.ch.SocketChannelImpl} on its own thread long before most programs open a socket of their own;
 * that class is then defined with one static call to {@link #constructed} at the end of each constructor instead of
 * the full advice. The first application thread that constructs one runs the armed action, which prepares the advice
 * and retransforms the class (threads that come meanwhile wait for it, as they would for a class being defined), so
 * the object under construction and every later one are counted; once the retransformation has replaced the call with
 * the advice, nothing of this remains.
 */
public final class FirstUse {
    private static volatile Consumer<Object> armed;

    private FirstUse() {}

    /**
     * Arms the action application threads run from {@link #constructed}, with the object constructed, until it is
     * disarmed ({@code null}). The action must be safe to run from several threads at once and do its work once per
     * class; it disarms itself when done.
     */
    public static void arm(Consumer<Object> action) {
        armed = action;
    }

    /** Whether an action is armed and has not run. */
    public static boolean armed() {
        return armed != null;
    }

    /**
     * Called at the end of the constructors of JDK classes the agent loaded first: marks the agent's own instances as
     * the agent's ({@link Endpoints#excluded}), runs the armed action on an application thread. Never throws.
     *
     * <p>The mark is made here, before the constructor returns, because no later moment is safe: an instance the agent
     * constructs while the advice is being swapped in may connect under the old class file (no connect advice to mark
     * it) and write under the new one an instant later, before any pass over remembered instances could reach it; its
     * traffic would then count as the application's. Marked now, the advice finds it marked on its first read or
     * write. An agent instance closed before the swap keeps its mark (a cell of the bounded table, a handful at most).
     */
    public static void constructed(Object instance) {
        if (armed == null) {
            return;
        }
        if (AgentThreads.current()) {
            try {
                Endpoints.excluded(instance);
            } catch (Throwable t) {
                // Unmarked, the connection counts as the application's; its constructor goes on regardless.
            }
            return;
        }
        touched(instance);
    }

    /**
     * Called from the constructors of JDK classes the agent loaded first. Runs the armed action on application
     * threads (never an agent thread) while it is armed; never throws.
     */
    private static void touched(Object instance) {
        final Consumer<Object> action = armed;
        if (action == null || AgentThreads.current()) {
            return;
        }
        try {
            action.accept(instance);
        } catch (Throwable t) {
            // The action reports its own failures; the application's constructor goes on regardless.
        }
    }
}
