package io.hotpath.agent.instrument;

import io.hotpath.agent.config.Glob;
import java.util.List;

/**
 * Decides which classes the agent may rewrite, by internal class name ({@code com/acme/Foo}) and defining loader.
 * The agent's own classes, its relocated dependencies and other agents are never touched; JDK classes only when asked
 * for; java.lang and java.util.concurrent never (they implement what is measured). {@link #neverRewritten} is the one
 * ignore list: the construction-site rewriting asks this filter, and the Byte Buddy advice ignores the same names.
 */
public final class ClassFilter {
    /**
     * Packages never rewritten, by any transformer of the agent, as space-separated words. Written this way, not as
     * {@code "net.bytebuddy."}, because the agent jar is shaded: the relocation rewrites every string constant that
     * starts with a relocated package (Byte Buddy, OpenTelemetry, OkHttp, ...), which would turn "ignore the
     * application's Byte Buddy" into "ignore our own relocated copy" without a word.
     */
    private static final String[] NEVER_WORDS = {
        // hotpath itself and its relocated dependencies
        "io hotpath agent",
        "io hotpath bootstrap",
        "io hotpath exporter",
        "io hotpath shaded",
        // what the measurement is built from, or what runs the JVM itself
        "java lang",
        "java util concurrent",
        "jdk internal misc",
        "jdk internal loader",
        "jdk internal reflect",
        "jdk internal vm",
        "sun misc",
        // other agents and the libraries they bring, and IDE runtimes
        "net bytebuddy",
        "io opentelemetry javaagent",
        "co elastic apm",
        "datadog",
        "com datadog",
        "com newrelic",
        "org glowroot",
        "com intellij rt",
    };

    /** {@link #NEVER_WORDS} as internal-name prefixes: {@code net/bytebuddy/}. */
    private static final String[] NEVER = prefixes('/');

    /** {@link #NEVER_WORDS} as binary-name prefixes: {@code net.bytebuddy.}. */
    private static final String[] NEVER_DOTTED = prefixes('.');

    private static final String[] JDK = {
        "java/", "javax/", "jdk/", "sun/", "com/sun/", "org/ietf/", "org/w3c/", "org/xml/"
    };

    private final List<Glob> include;
    private final List<Glob> exclude;
    private final boolean includeJdk;

    public ClassFilter(List<String> includeGlobs, List<String> excludeGlobs, boolean includeJdk) {
        this.include = includeGlobs.stream().map(Glob::of).toList();
        this.exclude = excludeGlobs.stream().map(Glob::of).toList();
        this.includeJdk = includeJdk;
    }

    private static String[] prefixes(char separator) {
        final String[] out = new String[NEVER_WORDS.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = NEVER_WORDS[i].replace(' ', separator) + separator;
        }
        return out;
    }

    /**
     * Whether a class is on the one ignore list (hotpath, its relocated dependencies, other agents, the JDK classes
     * that implement what is measured), by binary name ({@code net.bytebuddy.ByteBuddy}) or internal name
     * ({@code net/bytebuddy/ByteBuddy}).
     */
    public static boolean neverRewritten(String name) {
        final String[] prefixes = name.indexOf('/') >= 0 ? NEVER : NEVER_DOTTED;
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a class loader belongs to another agent (or to hotpath): its own class is on the ignore list. The
     * OpenTelemetry Java agent, for one, loads unrelocated libraries (OkHttp, its executors) through its own loader;
     * their queues and pools are that agent's, not the application's, and are never rewritten.
     */
    public static boolean agentLoader(ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        final String name = loader.getClass().getName();
        // The JDK's own loaders (the application and platform loaders live in jdk.internal.loader) load the
        // application: only a loader of a non-JDK package on the list is another agent's.
        return !isJdk(name.replace('.', '/')) && neverRewritten(name);
    }

    /**
     * Whether a class the user named explicitly (a declared probe) may be instrumented: anything but the agent's own
     * packages, other agents, and java.lang / java.util.concurrent, whatever include, exclude and include.jdk say.
     */
    public boolean acceptsDeclared(String internalName) {
        if (internalName == null || internalName.contains("$$Lambda") || internalName.startsWith("[")) {
            return false;
        }
        if (neverRewritten(internalName)) {
            return false;
        }
        return true;
    }

    /** Whether a class is a JDK class by name. */
    public static boolean isJdk(String internalName) {
        for (String p : JDK) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the class may be rewritten. {@code bootLoaded} is true when the defining loader is the bootstrap
     * loader.
     */
    public boolean accepts(String internalName, boolean bootLoaded) {
        if (internalName == null || internalName.contains("$$Lambda") || internalName.startsWith("[")) {
            return false;
        }
        if (neverRewritten(internalName)) {
            return false;
        }
        if ((bootLoaded || isJdk(internalName)) && !includeJdk) {
            return false;
        }
        final String dotted = internalName.replace('/', '.');
        for (Glob p : exclude) {
            if (p.matches(dotted)) {
                return false;
            }
        }
        if (include.isEmpty() || isJdk(internalName)) {
            return true;
        }
        for (Glob p : include) {
            if (p.matches(dotted)) {
                return true;
            }
        }
        return false;
    }
}
