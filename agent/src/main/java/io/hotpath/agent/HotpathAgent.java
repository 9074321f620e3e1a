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

    private static File ownJar() throws URISyntaxException {
        final java.security.CodeSource source =
                HotpathAgent.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot locate hotpath-agent.jar (no code source)");
        }
        return new File(source.getLocation().toURI());
    }
}
