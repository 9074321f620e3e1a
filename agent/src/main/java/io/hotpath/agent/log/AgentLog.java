package io.hotpath.agent.log;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's log: one line per message on stderr, prefixed {@code [hotpath]}. Cold side only; instrumented code
 * never logs. Messages that could repeat are logged once per key.
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
        if (enabled(level)) {
            System.err.println("[hotpath] " + level.name().toUpperCase(Locale.ROOT) + " " + message);
        }
    }
}
