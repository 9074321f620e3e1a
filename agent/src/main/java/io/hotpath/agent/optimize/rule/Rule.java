package io.hotpath.agent.optimize.rule;

import io.hotpath.agent.config.Glob;
import io.hotpath.agent.config.Parsers;
import io.hotpath.agent.config.ProblemText;
import io.hotpath.agent.optimize.tunable.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;
import java.util.regex.Pattern;

/**
 * An optimization rule: when a finding of some kind is seen on a probe, move a tunable in a direction, at most once
 * per cooldown; when several rules match, the lowest priority number wins. Written in {@code hotpath.optimizer.rules}
 * as {@code ;}-separated entries:
 *
 * <pre>
 * [&lt;name&gt;:] when &lt;finding kind&gt; [on &lt;probe glob&gt;] then &lt;tunable | @role&gt; &lt;up|down|on|off&gt;
 *     [by &lt;step&gt;] [cooldown &lt;duration&gt;] [priority &lt;n&gt;]
 * </pre>
 *
 * e.g. {@code when queue_depth on com.acme.* then batch up by x2 cooldown 30s priority 1}. A target {@code @role}
 * (e.g. {@code @batch-size}) means every tunable of that role on the finding's path. A step is {@code x<factor>} or
 * {@code <n>} (added or subtracted); without one the role's controller picks the step.
 *
 * @param name the rule's name (given, or {@code rule<n>})
 * @param kind the finding kind it triggers on; {@code *} for any
 * @param probeGlob probe-name glob, {@code *} matching any characters
 * @param target a tunable name, or {@code @} and a role word
 * @param direction +1 (up, on) or -1 (down, off)
 * @param factor multiplicative step above 1, or 0
 * @param add additive step above 0, or 0
 * @param cooldown least time between two firings
 * @param priority lower fires first
 */
public record Rule(
        String name,
        String kind,
        String probeGlob,
        String target,
        int direction,
        double factor,
        long add,
        Duration cooldown,
        int priority) {
    /** Cooldown when a rule gives none. */
    static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(10);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern KIND = Pattern.compile("[a-z0-9_\\-]+|\\*");
    private static final Pattern GLOB = Pattern.compile("[\\w.$*#<>:\\-]+");
    private static final Pattern TARGET = Pattern.compile("@?[A-Za-z0-9_.:#$<>\\-]+");

    /**
     * The built-in strategies carried over from the earlier systems: high queue depth → bigger batches; a saturated
     * pool → more threads; high latency → shorter flush interval; stable and healthy → compression. Kinds are the
     * analyzer's labels ({@code queue_depth}, {@code saturation}, {@code latency}); {@code stable} is derived by the
     * analyzer adapter ({@code OptimizerFeed}). The earlier systems' "very high throughput → more shards" is not
     * among them: nothing measures "very high" (throughput thresholds are floors), so such a rule could never fire;
     * a user rule can still move {@code @shards} on any finding kind.
     */
    public static List<Rule> defaults() {
        return List.of(
                new Rule("default-batch", "queue_depth", "*", "@batch-size", 1, 0, 0, DEFAULT_COOLDOWN, 1),
                new Rule("default-pool", "saturation", "*", "@concurrency", 1, 0, 0, DEFAULT_COOLDOWN, 1),
                new Rule("default-flush", "latency", "*", "@flush-interval", -1, 0, 0, DEFAULT_COOLDOWN, 2),
                new Rule("default-compression", "stable", "*", "@compression", 1, 0, 0, Duration.ofMinutes(5), 4));
    }

    /** Whether this rule fires on a finding of {@code kind} on {@code probe}. */
    public boolean matches(String findingKind, String probe) {
        return (kind.equals("*") || kind.equals(findingKind))
                && Glob.of(probeGlob).matches(probe);
    }

    /** Whether the target is a role rather than a tunable name. */
    public boolean targetsRole() {
        return target.startsWith("@");
    }

    /** The step as a function of the value in force, or null when the controller chooses. */
    public LongUnaryOperator step() {
        if (factor > 1) {
            return v -> direction > 0 ? (long) Math.ceil(v * factor) : (long) Math.floor(v / factor);
        }
        if (add > 0) {
            return v -> v + direction * add;
        }
        return null;
    }

    /** Parsed rules and one-line problems for the entries skipped. */
    public record Parsed(List<Rule> rules, List<String> problems) {}

    /** Parses {@code hotpath.optimizer.rules}. Never throws. */
    public static Parsed parseAll(String text) {
        final List<Rule> rules = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new Parsed(List.of(), List.of());
        }
        int n = 0;
        for (String part : text.split(";")) {
            final String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            n++;
            try {
                rules.add(parse(entry, "rule" + n));
            } catch (IllegalArgumentException e) {
                problems.add(
                        ProblemText.escape("hotpath.optimizer.rules entry '" + ProblemText.value(entry) + "' skipped: "
                                + e.getMessage()
                                + "; expected [<name>:] when <finding kind> [on <probe glob>] then <tunable|@role>"
                                + " <up|down|on|off> [by x<factor>|<n>] [cooldown <duration>] [priority <n>]"));
            }
        }
        return new Parsed(List.copyOf(rules), List.copyOf(problems));
    }

    static Rule parse(String entry, String defaultName) {
        String rest = entry;
        String name = defaultName;
        final int colon = rest.indexOf(':');
        final int when = rest.indexOf("when");
        if (colon > 0 && (when < 0 || colon < when)) {
            name = rest.substring(0, colon).trim();
            rest = rest.substring(colon + 1).trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a rule name");
            }
        }
        final String[] t = rest.trim().split("\\s+");
        int i = 0;
        i = expect(t, i, "when");
        final String kind = word(t, i++, "a finding kind");
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("'" + kind + "' is not a finding kind (lower-case words and -)");
        }
        String glob = "*";
        if (i < t.length && t[i].equals("on")) {
            glob = word(t, i + 1, "a probe glob after 'on'");
            if (!GLOB.matcher(glob).matches()) {
                throw new IllegalArgumentException("'" + glob + "' is not a probe-name glob");
            }
            i += 2;
        }
        i = expect(t, i, "then");
        final String target = word(t, i++, "a tunable name or @role");
        if (!TARGET.matcher(target).matches()) {
            throw new IllegalArgumentException("'" + target + "' is not a tunable name or @role");
        }
        if (target.startsWith("@") && Role.of(target.substring(1)) == null) {
            throw new IllegalArgumentException(
                    "unknown role '" + target.substring(1) + "'; expected one of " + Role.words());
        }
        final String dir = word(t, i++, "a direction");
        final int direction =
                switch (dir.toLowerCase(Locale.ROOT)) {
                    case "up", "on", "more", "increase" -> 1;
                    case "down", "off", "less", "decrease" -> -1;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown direction '" + dir + "'; expected up, down, on or" + " off");
                };
        double factor = 0;
        long add = 0;
        Duration cooldown = DEFAULT_COOLDOWN;
        int priority = 5;
        while (i < t.length) {
            final String key = t[i];
            final String value = word(t, i + 1, "a value after '" + key + "'");
            switch (key) {
                case "by" -> {
                    if (value.startsWith("x") || value.startsWith("*")) {
                        factor = number(value.substring(1), "a factor such as x2");
                        if (factor <= 1 || factor > 16) {
                            throw new IllegalArgumentException("factor " + value + " must be above 1 and at most 16");
                        }
                    } else {
                        add = (long) number(value.startsWith("+") ? value.substring(1) : value, "a step such as 8");
                        if (add < 1) {
                            throw new IllegalArgumentException("step " + value + " must be at least 1");
                        }
                    }
                }
                case "cooldown" -> {
                    try {
                        cooldown = Parsers.duration(Duration.ZERO, Duration.ofHours(24))
                                .apply(value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("cooldown '" + value + "': " + e.getMessage());
                    }
                }
                case "priority" -> {
                    final double p = number(value, "a priority from 1 to 100");
                    if (p < 1 || p > 100 || p != Math.rint(p)) {
                        throw new IllegalArgumentException("priority " + value + " must be a whole number 1 to 100");
                    }
                    priority = (int) p;
                }
                default -> throw new IllegalArgumentException("unexpected '" + key + "'");
            }
            i += 2;
        }
        return new Rule(name, kind, glob, target, direction, factor, add, cooldown, priority);
    }

    private static int expect(String[] t, int i, String word) {
        if (i >= t.length || !t[i].equals(word)) {
            throw new IllegalArgumentException("expected '" + word + "'" + (i < t.length ? " at '" + t[i] + "'" : ""));
        }
        return i + 1;
    }

    private static String word(String[] t, int i, String what) {
        if (i >= t.length || t[i].isEmpty()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return t[i];
    }

    private static double number(String text, String what) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
    }
}
