package io.hotpath.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;

/**
 * The agent's entry point, and with {@link IsolatingClassLoader} the only agent class the application's class loader
 * can see. It finds its own jar, creates the isolated loader for everything else, and hands over. Nothing here may
 * throw into the JVM: a failed start is one line on stderr and the application runs on without the agent.
 */
public final class HotpathAgent {
    private static final String STARTER = "io.hotpath.agent.runtime.AgentStarter";
    /** An entry that only the agent jar holds: its isolated classes are stored under inst/. */
    private static final String MARKER = "inst/io/hotpath/agent/runtime/AgentStarter.classdata";

    private static boolean started;

    private HotpathAgent() {}

    /** Called by the JVM for {@code -javaagent:hotpath-agent.jar[=options]}. */
    public static void premain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, false);
    }

    /** Called by the JVM when the agent is attached to a running JVM. */
    public static void agentmain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, true);
    }

    private static void start(String agentArgs, Instrumentation inst, boolean attached) {
        synchronized (HotpathAgent.class) {
            if (started) {
                System.err.println("[hotpath] WARN agent already started in this JVM; ignoring the second start");
                return;
            }
            started = true;
        }
        try {
            final File jar = ownJar();
            final ClassLoader loader = new IsolatingClassLoader(jar, ClassLoader.getPlatformClassLoader());
            final Class<?> starter = Class.forName(STARTER, true, loader);
            starter.getMethod("start", String.class, Instrumentation.class, boolean.class, File.class)
                    .invoke(null, agentArgs, inst, attached, jar);
        } catch (Throwable t) {
            final Throwable cause =
                    t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
            System.err.println("[hotpath] ERROR agent failed to start; the application continues without it: " + cause);
        }
    }

    /**
     * The agent jar: where this class came from, unless the application's class path carries another copy of it (a
     * fat jar that bundled the agent), in which case the jar the JVM appended for {@code -javaagent} is found by the
     * marker only the real agent jar holds.
     */
    private static File ownJar() throws URISyntaxException, java.io.IOException {
        final java.security.CodeSource source =
                HotpathAgent.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            final File self = new File(source.getLocation().toURI());
            if (holdsMarker(self)) {
                return self;
            }
        }
        final java.util.Enumeration<java.net.URL> found = ClassLoader.getSystemResources(MARKER);
        while (found.hasMoreElements()) {
            final java.net.URL url = found.nextElement();
            final String spec = url.toString();
            if (spec.startsWith("jar:") && spec.endsWith("!/" + MARKER)) {
                final File jar = new File(new java.net.URI(spec.substring(4, spec.length() - MARKER.length() - 2)));
                if (holdsMarker(jar)) {
                    return jar;
                }
            }
        }
        throw new IllegalStateException("cannot find hotpath-agent.jar: " + HotpathAgent.class.getName()
                + " was loaded from " + (source == null ? "an unknown place" : source.getLocation())
                + ", which does not hold the agent's classes; remove the copy of the agent from the class path");
    }

    private static boolean holdsMarker(File file) {
        if (!file.isFile()) {
            return false;
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(file, false)) {
            return jar.getEntry(MARKER) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
