package io.hotpath.exporter;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The one place agent code emits {@link Event}s: {@code Events.emit(event)}. The analyzer, the optimizer and the agent
 * itself call it from their own threads; it never blocks for long and never throws.
 *
 * <p>Before an exporter is attached (export starts on a background thread, a moment after the agent), events wait in a
 * small bounded buffer; past {@value #PENDING_MAX} they are counted in {@link #dropped()} and discarded. When export is
 * off, a discarding sink is attached, so nothing accumulates.
 */
public final class Events {
    /** Events kept while no exporter is attached. */
    public static final int PENDING_MAX = 256;

    private static final Object LOCK = new Object();
    private static final ArrayDeque<Event> PENDING = new ArrayDeque<>();
    private static volatile Consumer<Event> sink;
    private static long dropped;

    private Events() {}

    /** Emits one event: hands it to the exporter, or keeps it until one is attached. */
    public static void emit(Event event) {
        Consumer<Event> s = sink;
        if (s == null) {
            synchronized (LOCK) {
                s = sink;
                if (s == null) {
                    if (PENDING.size() < PENDING_MAX) {
                        PENDING.addLast(event);
                    } else {
                        dropped++;
                    }
                    return;
                }
            }
        }
        deliver(s, event);
    }

    /** Attaches the sink every later event goes to, after the events waiting so far, in order. */
    public static void attach(Consumer<Event> target) {
        synchronized (LOCK) {
            for (Event e; (e = PENDING.pollFirst()) != null; ) {
                deliver(target, e);
            }
            sink = target;
        }
    }

    /** Detaches the sink; later events wait in the buffer again. For tests and shutdown. */
    public static void detach() {
        synchronized (LOCK) {
            sink = null;
        }
    }

    /** Events discarded because the buffer was full while no exporter was attached. */
    public static long dropped() {
        synchronized (LOCK) {
            return dropped;
        }
    }

    private static void deliver(Consumer<Event> target, Event event) {
        try {
            target.accept(event);
        } catch (RuntimeException e) {
            // An event must never break its emitter (the cold loop, the analyzer); the sink logs its own failures.
        }
    }
}
