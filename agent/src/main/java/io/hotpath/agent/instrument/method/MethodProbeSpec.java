package io.hotpath.agent.instrument.method;

import io.hotpath.agent.config.Glob;
import io.hotpath.agent.config.ProblemText;
import io.hotpath.bootstrap.PathKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One entry of {@code hotpath.probes}: {@code <class pattern>#<method pattern>[:<kind>]}, with {@code *} matching
 * any run of characters, e.g. {@code com.acme.*Handler#handle*:ipc}.
 */
public final class MethodProbeSpec {
    static final List<PathKind> KINDS = List.of(PathKind.METHOD, PathKind.BROADCAST, PathKind.BATCH, PathKind.IPC);
    private static final Pattern CLASS_GLOB = Pattern.compile("[\\w.$*]+");
    private static final Pattern METHOD_GLOB = Pattern.compile("[\\w$*]+");

    private final String text;
    private final Glob classPattern;
    private final Glob methodPattern;
    private final PathKind kind;
    private final AtomicInteger matchedMethods = new AtomicInteger();

    private MethodProbeSpec(String text, String classGlob, String methodGlob, PathKind kind) {
        this.text = text;
        this.classPattern = Glob.of(classGlob);
        this.methodPattern = Glob.of(methodGlob);
        this.kind = kind;
    }

    /** The parsed entries and one message per malformed entry (which is skipped). */
    public record Parsed(List<MethodProbeSpec> specs, List<String> problems) {}

    /** Parses the whole property value; never throws. */
    public static Parsed parseAll(String value) {
        final List<MethodProbeSpec> specs = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        if (value == null) {
            return new Parsed(specs, problems);
        }
        for (String raw : value.split(";")) {
            final String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                specs.add(parse(entry));
            } catch (IllegalArgumentException e) {
                problems.add(ProblemText.escape(
                        "hotpath.probes entry '" + ProblemText.value(entry) + "' skipped: " + e.getMessage()));
            }
        }
        return new Parsed(List.copyOf(specs), List.copyOf(problems));
    }

    static MethodProbeSpec parse(String entry) {
        final String expected = "expected <class pattern>#<method pattern>[:<kind>] with kind one of method,"
                + " broadcast, batch, ipc (e.g. com.acme.Broadcaster#publish:broadcast)";
        final int hash = entry.indexOf('#');
        if (hash <= 0 || hash != entry.lastIndexOf('#')) {
            throw new IllegalArgumentException(expected);
        }
        final String classGlob = entry.substring(0, hash).trim();
        String rest = entry.substring(hash + 1).trim();
        PathKind kind = PathKind.METHOD;
        final int colon = rest.indexOf(':');
        if (colon >= 0) {
            final String k = rest.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            kind = PathKind.ofLabel(k);
            if (kind == null || !KINDS.contains(kind)) {
                throw new IllegalArgumentException("unknown kind '" + k + "'; " + expected);
            }
            rest = rest.substring(0, colon).trim();
        }
        if (!CLASS_GLOB.matcher(classGlob).matches()
                || !METHOD_GLOB.matcher(rest).matches()) {
            throw new IllegalArgumentException(expected);
        }
        if (classGlob.replace("*", "").replace(".", "").isEmpty()) {
            throw new IllegalArgumentException("the class pattern must name at least a package; " + expected);
        }
        return new MethodProbeSpec(entry, classGlob, rest, kind);
    }

    public String text() {
        return text;
    }

    public PathKind kind() {
        return kind;
    }

    boolean matchesClass(String className) {
        return classPattern.matches(className);
    }

    boolean matchesMethod(String methodName) {
        return methodPattern.matches(methodName);
    }

    void matched() {
        matchedMethods.incrementAndGet();
    }

    /** How many methods this entry instrumented so far. */
    int matchedMethods() {
        return matchedMethods.get();
    }
}
