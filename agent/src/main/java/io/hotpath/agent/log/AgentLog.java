package io.hotpath.agent.log;

import io.hotpath.bootstrap.ipc.AgentThreads;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The agent's log: one line per message on stderr, prefixed {@code [hotpath]}. Cold side only; instrumented code
 * never logs. Messages that could repeat are logged once per key.
 *
 * <p>An application thread never writes to stderr itself. It logs where the agent runs on it: in a class definition
 * (a transformer's failure), or in a first-use call. {@link java.io.PrintStream#println} takes the stream's lock, which
 * the application may hold, or be contending for while it prints a lot, so such a line is handed to the agent's
 * writer thread ({@link #writerStarts}) through a bounded lock-free queue and the writer is unparked; when the queue is full
 * the line is dropped and counted, and the writer prints "N log lines dropped" after what it drains. The agent's own
 * threads print at once, after the lines queued before theirs, so the log keeps the order in which lines were logged.
 * Before the writer runs (start-up, {@code premain}) and after it ended (exit), every line is printed at once by the
 * thread that logs it: at start-up the application has not run yet, and at exit no writer is left to print it.
 */
public final class AgentLog {
    /** Severity, lowest first. */
    public enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR,
        OFF
    }

    private static volatile Level threshold = Level.INFO;
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    private static final int MAX_ONCE_KEYS = 10_000;

    private static volatile Thread writer;
    /**
     * Set when the queue is first used (its class initialised): until an application thread logs while a writer runs,
     * nothing can be queued, a line is simply printed, and the queue's classes are not loaded.
     */
    private static volatile boolean queueUsed;

    private AgentLog() {}

    /** Sets the lowest level printed. */
    public static void threshold(Level level) {
        threshold = level;
    }

    /** The lowest level printed now. */
    public static Level threshold() {
        return threshold;
    }

    public static boolean enabled(Level level) {
        return level != Level.OFF && level.ordinal() >= threshold.ordinal();
    }

    public static void debug(String message) {
        log(Level.DEBUG, message);
    }

    public static void info(String message) {
        log(Level.INFO, message);
    }

    public static void warn(String message) {
        log(Level.WARN, message);
    }

    public static void error(String message) {
        log(Level.ERROR, message);
    }

    /** Logs {@code message} the first time {@code key} is seen; returns whether it logged. */
    public static boolean once(Level level, String key, String message) {
        if (ONCE.size() >= MAX_ONCE_KEYS || !ONCE.add(key)) {
            return false;
        }
        log(level, message);
        return true;
    }

    public static void log(Level level, String message) {
        if (!enabled(level)) {
            return;
        }
        final String line = "[hotpath] " + level.name().toUpperCase(Locale.ROOT) + " " + message;
        final Thread w = writer;
        // The writer is read first: a disabled agent never loads the queue, nor anything of the bootstrap core.
        if (w != null && !AgentThreads.current()) {
            Handover.offer(line, w);
        } else if (queueUsed) {
            Handover.printAfterQueued(line);
        } else {
            System.err.println(line);
        }
    }

    /**
     * Makes the calling thread, one of the agent's, the writer of the lines application threads log. It calls
     * {@link #drain} whenever it is unparked, and {@link #writerEnds} when it ends.
     */
    public static void writerStarts() {
        writer = Thread.currentThread();
    }

    /** The calling writer ends: what it left queued is printed now, and lines logged from now on at once. */
    public static void writerEnds() {
        if (writer == Thread.currentThread()) {
            writer = null;
        }
        drain();
    }

    /** Prints the lines application threads queued, then how many were dropped; on the agent's threads only. */
    public static void drain() {
        if (queueUsed) {
            Handover.drain();
        }
    }

    /** The queue from application threads to the writer, loaded only once a writer starts. */
    private static final class Handover {
        /** Lines application threads may leave for the writer before further ones are dropped. */
        static final int LINES = 1024;

        private static final MpscAtomicArrayQueue<String> QUEUED = new MpscAtomicArrayQueue<>(LINES);
        private static final AtomicLong DROPPED = new AtomicLong();
        /** Held by the one thread printing: the queue has a single consumer, and printed lines keep their order. */
        private static final ReentrantLock PRINTING = new ReentrantLock();

        static {
            queueUsed = true;
        }

        private Handover() {}

        static void offer(String line, Thread writer) {
            if (QUEUED.offer(line)) {
                LockSupport.unpark(writer);
            } else {
                DROPPED.incrementAndGet();
            }
        }

        static void drain() {
            if (QUEUED.isEmpty() && DROPPED.get() == 0) {
                return;
            }
            PRINTING.lock();
            try {
                printQueued();
            } finally {
                PRINTING.unlock();
            }
        }

        static void printAfterQueued(String line) {
            PRINTING.lock();
            try {
                printQueued();
                System.err.println(line);
            } finally {
                PRINTING.unlock();
            }
        }

        private static void printQueued() {
            String line;
            while ((line = QUEUED.poll()) != null) {
                System.err.println(line);
            }
            final long dropped = DROPPED.getAndSet(0);
            if (dropped > 0) {
                System.err.println("[hotpath] WARN " + dropped + " log lines dropped");
            }
        }
    }

    /** How many lines application threads may leave for the writer before further ones are dropped. */
    static int queuedLines() {
        return Handover.LINES;
    }
}
