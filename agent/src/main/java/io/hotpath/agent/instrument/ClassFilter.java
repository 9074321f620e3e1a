package io.hotpath.agent.instrument;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which classes the agent may rewrite, by internal class name ({@code com/acme/Foo}) and defining loader.
 * The agent's own classes, its relocated dependencies and other agents are never touched; JDK classes only when asked
 * for; java.lang and java.util.concurrent never (they implement what is measured).
 */
public final class ClassFilter {
    private static final String[] NEVER = {
        "io/hotpath/agent/",
        "io/hotpath/bootstrap/",
        "io/hotpath/exporter/",
        "io/hotpath/shaded/",
        "java/lang/",
        "java/util/concurrent/",
        "jdk/internal/misc/",
        "jdk/internal/loader/",
        "jdk/internal/reflect/",
        "jdk/internal/vm/",
        "sun/misc/",
        "io/opentelemetry/javaagent/",
        "co/elastic/apm/",
        "datadog/",
        "com/datadog/",
        "com/newrelic/",
        "org/glowroot/",
        "com/intellij/rt/",
    };
    private static final String[] JDK = {
        "java/", "javax/", "jdk/", "sun/", "com/sun/", "org/ietf/", "org/w3c/", "org/xml/"
    };

    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final boolean includeJdk;

    public ClassFilter(List<String> includeGlobs, List<String> excludeGlobs, boolean includeJdk) {
        this.include = includeGlobs.stream().map(ClassFilter::glob).toList();
        this.exclude = excludeGlobs.stream().map(ClassFilter::glob).toList();
        this.includeJdk = includeJdk;
    }

    static Pattern glob(String glob) {
        final StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*') {
                re.append(".*");
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /**
     * Whether a class the user named explicitly (a declared probe) may be instrumented: anything but the agent's own
     * packages, other agents, and java.lang / java.util.concurrent, whatever include, exclude and include.jdk say.
     */
    public boolean acceptsDeclared(String internalName) {
        if (internalName == null || internalName.contains("$$Lambda") || internalName.startsWith("[")) {
            return false;
        }
        for (String p : NEVER) {
            if (internalName.startsWith(p)) {
                return false;
            }
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
        for (String p : NEVER) {
            if (internalName.startsWith(p)) {
                return false;
            }
        }
        if ((bootLoaded || isJdk(internalName)) && !includeJdk) {
            return false;
        }
        final String dotted = internalName.replace('/', '.');
        for (Pattern p : exclude) {
            if (p.matcher(dotted).matches()) {
                return false;
            }
        }
        if (include.isEmpty() || isJdk(internalName)) {
            return true;
        }
        for (Pattern p : include) {
            if (p.matcher(dotted).matches()) {
                return true;
            }
        }
        return false;
    }
}
