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

    private static final String COMMANDS = "io.hotpath.agent.runtime.AgentCommands";
    private static final String CLI = "io.hotpath.agent.cli.AttachCli";

    private static boolean started;
    /** The isolated loader of the running agent, for the attach CLI's commands; null until started. */
    private static volatile ClassLoader agentLoader;

    private HotpathAgent() {}

    /** Called by the JVM for {@code -javaagent:hotpath-agent.jar[=options]}. */
    public static void premain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, false);
    }

    /**
     * Called by the JVM when the agent is attached to a running JVM: starts it, or, with options {@code
     * command=...} from the attach CLI, runs that command in the agent already there.
     */
    public static void agentmain(String agentArgs, Instrumentation inst) {
        if (agentArgs != null && agentArgs.startsWith("command=")) {
            command(agentArgs);
            return;
        }
        start(agentArgs, inst, true);
    }

    /**
     * The attach CLI: {@code java -jar hotpath-agent.jar PID [start|status|findings|dump FILE|set KEY=VALUE|stop]}.
     * Its code is isolated like the rest of the agent's.
     */
    public static void main(String[] args) {
        int code;
        try {
            final ClassLoader loader = new IsolatingClassLoader(ownJar(), ClassLoader.getSystemClassLoader());
            final Class<?> cli = Class.forName(CLI, true, loader);
            code = (int) cli.getMethod(
                            "run", String[].class, File.class, java.io.PrintStream.class, java.io.PrintStream.class)
                    .invoke(null, args, ownJar(), System.out, System.err);
        } catch (Throwable t) {
            final Throwable cause =
                    t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
            System.err.println("hotpath: " + cause);
            code = 2;
        }
        System.exit(code);
    }

    private static void command(String options) {
        final ClassLoader loader = agentLoader;
        try {
            if (loader == null) {
                reply(
                        options,
                        "ERR no hotpath agent is running in this JVM; start one with: java -jar" + " hotpath-agent.jar "
                                + ProcessHandle.current().pid() + " start");
                return;
            }
            Class.forName(COMMANDS, true, loader).getMethod("run", String.class).invoke(null, options);
        } catch (Throwable t) {
            System.err.println("[hotpath] ERROR attach command failed: " + t);
        }
    }

    /** Writes a reply for the CLI when no agent is here to do it (see AgentCommands for the protocol). */
    private static void reply(String options, String text) throws java.io.IOException {
        for (String part : options.split(",")) {
            if (part.startsWith("reply=")) {
                final String path = java.net.URLDecoder.decode(
                        part.substring("reply=".length()), java.nio.charset.StandardCharsets.UTF_8);
                java.nio.file.Files.writeString(java.nio.file.Path.of(path), text + "\n");
            }
        }
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
            agentLoader = loader;
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
