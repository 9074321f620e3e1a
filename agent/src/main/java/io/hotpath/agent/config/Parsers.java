package io.hotpath.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for property values. Each throws IllegalArgumentException with a message saying what is allowed. */
public final class Parsers {
    /**
     * Every list value separates its entries with {@code ;}. A {@code ,} is still read as a separator in the lists
     * that took it before ({@link Settings#COMMA_LISTS}); {@link Config} warns that it is deprecated.
     */
    private static final String LIST_SEPARATORS = "[;,]";

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)?");

    private Parsers() {}

    static Function<String, Boolean> bool() {
        return text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    static Function<String, Integer> integer(int min, int max) {
        return text -> {
            final long v;
            try {
                v = Long.parseLong(text.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            return (int) v;
        };
    }

    /** Like {@link #integer} but empty means none. */
    static Function<String, Optional<Integer>> optionalInteger(int min, int max) {
        final Function<String, Integer> inner = integer(min, max);
        return text -> {
            if (text.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(inner.apply(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ", or empty for none");
            }
        };
    }

    /** A decimal number from {@code min} to {@code max}; a trailing {@code %} divides by 100 (1% = 0.01). */
    static Function<String, Double> decimal(double min, double max) {
        final String allowed = "expected a number from " + min + " to " + max;
        return text -> {
            String t = text.trim().replace("_", "");
            double scale = 1;
            if (t.endsWith("%")) {
                t = t.substring(0, t.length() - 1).trim();
                scale = 0.01;
            }
            final double v;
            try {
                v = Double.parseDouble(t) * scale;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(allowed);
            }
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException(allowed);
            }
            return v;
        };
    }

    /**
     * A duration like {@code 500ms}, {@code 10s}, {@code 2m}; a bare number is milliseconds, as in the {@code OTEL_*}
     * variables hotpath also reads (and in the reference application's options): one rule for every duration a user
     * writes.
     */
    public static Function<String, Duration> duration(Duration min, Duration max) {
        final String allowed =
                "expected a duration from " + format(min) + " to " + format(max) + " such as 500ms, 10s or 2m";
        return text -> {
            final Duration d = parseDuration(text);
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(allowed);
            }
            return d;
        };
    }

    /** Like {@link #duration} but also accepts {@code off} (or 0), meaning empty. */
    static Function<String, Optional<Duration>> optionalDuration(Duration min, Duration max) {
        final Function<String, Duration> inner = duration(min, max);
        return text -> {
            final String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("off") || t.equals("0") || t.equals("none") || t.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(inner.apply(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ", or off");
            }
        };
    }

    static Duration parseDuration(String text) {
        final Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        final double n = Double.parseDouble(m.group(1));
        final String unit = m.group(2) == null ? "ms" : m.group(2);
        final double nanos = n
                * switch (unit) {
                    case "ns" -> 1d;
                    case "us", "µs" -> 1e3;
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    case "h" -> 3600e9;
                    default -> throw new IllegalStateException(unit);
                };
        return nanos > Long.MAX_VALUE ? null : Duration.ofNanos((long) nanos);
    }

    /** Formats a duration the way users write it. */
    public static String format(Duration d) {
        final long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms > 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** Words separated by {@code ;}, each one of {@code words}; empty gives an empty list. */
    static Function<String, List<String>> oneOfList(String... words) {
        final Function<String, String> one = oneOf(words);
        return text -> {
            final List<String> out = new ArrayList<>();
            for (String part : text.split(LIST_SEPARATORS)) {
                if (!part.isBlank()) {
                    out.add(one.apply(part));
                }
            }
            return List.copyOf(out);
        };
    }

    /** One of a fixed set of lower-case words. */
    static Function<String, String> oneOf(String... words) {
        return text -> {
            final String t = text.trim().toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (w.equals(t)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("expected one of " + String.join(", ", words));
        };
    }

    /** One constant of {@code type}, written as its lower-case name; the error lists every allowed word. */
    static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
        final E[] constants = type.getEnumConstants();
        final String allowed = "expected one of " + words(type);
        return text -> {
            final String t = text.trim().toLowerCase(Locale.ROOT);
            for (E e : constants) {
                if (e.name().toLowerCase(Locale.ROOT).equals(t)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(allowed);
        };
    }

    /** The constants of {@code type} as the user writes them: lower case, separated by {@code ", "}. */
    public static <E extends Enum<E>> String words(Class<E> type) {
        final List<String> out = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            out.add(e.name().toLowerCase(Locale.ROOT));
        }
        return String.join(", ", out);
    }

    /** Any text; empty means none. */
    static Function<String, Optional<String>> optionalText() {
        return text -> text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }

    /**
     * A {@code ;}-separated list of class-name globs ({@code *} matches any characters, e.g. {@code com.acme.*}); the
     * older {@code ,} still separates, and {@link Config} reports it as deprecated.
     */
    static Function<String, List<String>> globList() {
        return text -> {
            final List<String> out = new ArrayList<>();
            for (String part : text.split(LIST_SEPARATORS)) {
                final String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (!p.matches("[\\w.$*<>\\-]+")) {
                    throw new IllegalArgumentException(
                            "'" + p + "' is not a class-name glob; expected names like" + " com.acme.* separated by ;");
                }
                out.add(p);
            }
            return List.copyOf(out);
        };
    }

    /** {@code old=new;old2=new2}: renames of probes. */
    public static Function<String, Map<String, String>> renames() {
        return text -> {
            final Map<String, String> out = new LinkedHashMap<>();
            for (String part : text.split(";")) {
                final String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                final int eq = p.lastIndexOf('=');
                if (eq <= 0 || eq == p.length() - 1) {
                    throw new IllegalArgumentException("'" + p + "' is not a rename; expected <probe name>=<new name>"
                            + " entries separated by ;");
                }
                out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
            }
            return Map.copyOf(out);
        };
    }
}
