package io.hotpath.agent.optimize.tunable;

import io.hotpath.agent.config.ProblemText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One declared field tunable from {@code hotpath.tunables}: {@code <name>=<class>#<field>:<role>[<min>..<max>]}, e.g.
 * {@code batch=com.acme.Broadcaster#batchSize:batch-size[1..512]}. What the field is (static or instance, int, long
 * or boolean, a compile-time constant or not) is only known when its class is loaded; {@link io.hotpath.agent.instrument.field.FieldTunableTransformer}
 * checks that.
 *
 * @param id index of the tunable's cell in {@link io.hotpath.bootstrap.Tunables}
 * @param name the user's name for it
 * @param className binary class name, e.g. {@code com.acme.Broadcaster} or {@code com.acme.Outer$Inner}
 * @param field the field's name
 * @param role what it controls
 * @param bounded whether bounds were given
 * @param min lower bound, inclusive (meaningful when bounded)
 * @param max upper bound, inclusive (meaningful when bounded)
 */
public record TunableSpec(
        int id, String name, String className, String field, Role role, boolean bounded, long min, long max) {
    private static final Pattern ENTRY = Pattern.compile(
            "([A-Za-z0-9_.\\-]+)\\s*=\\s*([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)#([A-Za-z_$][\\w$]*)"
                    + "\\s*:\\s*([a-z\\-]+)\\s*(?:\\[\\s*(-?\\d+)\\s*\\.\\.\\s*(-?\\d+)\\s*])?");

    /** The declaring class's internal name, {@code com/acme/Broadcaster}. */
    public String internalClassName() {
        return className.replace('.', '/');
    }

    /** {@code com.acme.Broadcaster#batchSize}, for messages. */
    public String target() {
        return className + "#" + field;
    }

    /** Whether {@code value} lies within the bounds (always true when unbounded). */
    boolean inBounds(long value) {
        return !bounded || (value >= min && value <= max);
    }

    /** Parsed entries and one-line problems for the entries skipped. */
    public record Parsed(List<TunableSpec> specs, List<String> problems) {}

    /** Parses {@code hotpath.tunables}; ids are assigned from {@code firstId} in order. Never throws. */
    public static Parsed parseAll(String text, int firstId, int capacity) {
        final List<TunableSpec> specs = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final Set<String> targets = new HashSet<>();
        if (text == null) {
            return new Parsed(List.of(), List.of());
        }
        int id = firstId;
        for (String part : text.split(";")) {
            final String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            final String problem;
            final Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                problem = "not <name>=<class>#<field>:<role>[<min>..<max>] with role one of " + Role.words();
            } else {
                final String name = m.group(1);
                final Role role = Role.of(m.group(4));
                final boolean bounded = m.group(5) != null;
                final String target = m.group(2) + "#" + m.group(3);
                problem = check(m, role, bounded, names, targets, id, capacity);
                if (problem == null) {
                    final long min = bounded ? Long.parseLong(m.group(5)) : 0;
                    final long max = bounded ? Long.parseLong(m.group(6)) : 0;
                    specs.add(new TunableSpec(id++, name, m.group(2), m.group(3), role, bounded, min, max));
                    names.add(name);
                    targets.add(target);
                }
            }
            if (problem != null) {
                problems.add(ProblemText.escape(
                        "hotpath.tunables entry '" + ProblemText.value(entry) + "' skipped: " + problem));
            }
        }
        return new Parsed(List.copyOf(specs), List.copyOf(problems));
    }

    private static String check(
            Matcher m, Role role, boolean bounded, Set<String> names, Set<String> targets, int id, int capacity) {
        if (role == null) {
            return "unknown role '" + m.group(4) + "'; expected one of " + Role.words();
        }
        if (names.contains(m.group(1))) {
            return "the name " + m.group(1) + " is already declared";
        }
        if (targets.contains(m.group(2) + "#" + m.group(3))) {
            return "the field " + m.group(2) + "#" + m.group(3) + " is already declared";
        }
        if (id >= capacity) {
            return "at most " + capacity + " tunables can be declared";
        }
        if (role.isBoolean() && bounded) {
            return role.word() + " is a boolean (true or false) and takes no [min..max]";
        }
        if (role.needsBounds() && !bounded) {
            return role.word() + " needs bounds, e.g. :" + role.word() + "[1..512]";
        }
        if (bounded) {
            final long min;
            final long max;
            try {
                min = Long.parseLong(m.group(5));
                max = Long.parseLong(m.group(6));
            } catch (NumberFormatException e) {
                return "bounds [" + m.group(5) + ".." + m.group(6) + "] are not whole numbers within the long range";
            }
            if (min > max) {
                return "bounds [" + min + ".." + max + "] are empty: min is above max";
            }
            if (min < role.lowest()) {
                return "bounds [" + min + ".." + max + "] go below " + role.lowest() + ", the least a " + role.word()
                        + " can be";
            }
        }
        return null;
    }
}
