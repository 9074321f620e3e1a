package io.hotpath.bootstrap.ipc;

import java.util.function.Consumer;

/**
 * A one-shot signal that the application itself has started to use a JDK class the agent's own threads loaded first.
 *
 * <p>The agent prepares its socket advice only once the application touches the network, because the preparation
 * (Byte Buddy and its matchers) costs a few hundred milliseconds of CPU and tens of MiB. The agent's OTLP exporter
 * loads {@code sun.nio.ch.SocketChannelImpl} on its own thread long before most programs open a socket of their own;
 * that class is then defined with one static call to {@link #constructed} at the end of each constructor instead of
 * the full advice. The first application thread that constructs one runs the armed action, which starts preparing the
 * advice on the agent's thread and returns at once; the agent's thread then retransforms the class, and once the
 * retransformation has replaced the call with the advice, nothing of this remains. Calls made before then are not
 * counted.
 *
 * <p>Every object constructed until then ran the old class file, so it is marked for adoption
 * ({@link Endpoints#PENDING}) before the action runs: one connected before its class is swapped has no connect under
 * the advice to name it, so the advice counts it as opened and names its endpoint on its first recorded call instead;
 * one that connects later is named by its connect, which replaces the mark.
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
        constructed(instance, false);
    }

    /**
     * {@link #constructed} for a constructor that wraps a descriptor the JDK already had (an accepted connection): an
     * application instance is adopted as accepted, named by its listening address.
     */
    public static void constructedOnDescriptor(Object instance) {
        constructed(instance, true);
    }

    private static void constructed(Object instance, boolean accepted) {
        final Consumer<Object> action = armed;
        if (action == null) {
            return;
        }
        try {
            if (AgentThreads.current()) {
                // Unmarked, the connection would count as the application's.
                Endpoints.excluded(instance);
            } else {
                // Marked even when the class is swapped a moment later: this constructor ran the old class file. A mark
                // on a connection that connects later is replaced by its connect.
                Endpoints.pending(instance, accepted);
                action.accept(instance);
            }
        } catch (Throwable t) {
            // The action reports its own failures; the application's constructor goes on regardless.
        }
    }
}
