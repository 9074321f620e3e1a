package io.hotpath.bootstrap.ipc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A one-shot signal that the application itself has started to use a JDK class the agent's own threads loaded first.
 *
 * <p>The agent prepares its socket advice only once the application touches the network, because the preparation
 * (Byte Buddy and its matchers) costs a few hundred milliseconds of CPU and tens of MiB. The agent's OTLP exporter
 * loads {@code sun.nio.ch.SocketChannelImpl} on its own thread long before most programs open a socket of their own;
 * that class is then defined with one static call to {@link #constructed} at the end of each constructor instead of
 * the full advice. The first application thread that constructs one runs the armed action, which asks for the
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
    /**
     * Most library instances kept for adoption over the JVM's life ({@link #setUpBeforeAdvice}): each slot is used once,
     * and only instances made before their library's advice was in place, a window that opens once per library, use
     * one.
     */
    public static final int EARLY_MAX = 4096;

    private static volatile Consumer<Object> armed;

    /**
     * Library instances that went through a set-up site under the class file defined before the advice, in the order
     * their threads claimed a slot; each slot is written once, by the thread that claimed it, and emptied by the
     * agent's thread as it adopts the instance. Strong references, held only until the adoption that follows the
     * advice's arrival (or its failure).
     */
    private static final AtomicReferenceArray<Object> EARLY = new AtomicReferenceArray<>(EARLY_MAX);

    /** Slots claimed; may pass {@link #EARLY_MAX} by the threads that raced for the last slot. */
    private static final AtomicInteger EARLY_CLAIMED = new AtomicInteger();

    /** Slots the agent's thread has taken; written by one agent thread at a time. */
    private static volatile int earlyTaken;

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

    /**
     * Called where a library's advice sets an instance up once (a Netty outbound buffer's constructor, an event loop's
     * thread start, an Aeron publication's constructor) in a class defined before the advice was built: keeps the
     * instance for the agent's thread, which sets it up as the advice would have once the advice is in place
     * ({@link #takeEarly}). One claim and one store: the application's thread neither waits nor allocates. Past
     * {@link #EARLY_MAX} kept in all, the instance is not kept; {@link #takeEarly} counts it.
     */
    public static void setUpBeforeAdvice(Object instance) {
        if (EARLY_CLAIMED.get() >= EARLY_MAX) {
            EARLY_CLAIMED.incrementAndGet();
            return;
        }
        final int slot = EARLY_CLAIMED.getAndIncrement();
        if (slot < EARLY_MAX) {
            EARLY.setRelease(slot, instance);
        }
    }

    /** Whether an instance kept by {@link #setUpBeforeAdvice} waits for {@link #takeEarly}. */
    public static boolean earlyWaiting() {
        return Math.min(EARLY_CLAIMED.get(), EARLY_MAX) > earlyTaken;
    }

    /**
     * On the agent's thread, one caller at a time: hands every instance kept by {@link #setUpBeforeAdvice} to {@code
     * adopt} and forgets it. Stops at a slot claimed but not written yet (its thread is between the claim and the
     * store), which the next call takes. Returns how many instances were not kept, all calls together.
     */
    public static int takeEarly(Consumer<Object> adopt) {
        final int claimed = EARLY_CLAIMED.get();
        int taken = earlyTaken;
        for (final int end = Math.min(claimed, EARLY_MAX); taken < end; taken++) {
            final Object instance = EARLY.getAcquire(taken);
            if (instance == null) {
                break;
            }
            EARLY.setRelease(taken, null);
            earlyTaken = taken + 1;
            adopt.accept(instance);
        }
        return Math.max(0, claimed - EARLY_MAX);
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
