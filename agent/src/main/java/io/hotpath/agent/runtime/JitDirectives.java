package io.hotpath.agent.runtime;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.operate.Later;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A compiler directive that keeps the agent's own cold-side code (the agent's classes, its exporter and every relocated
 * library: Byte Buddy, the OpenTelemetry SDK and its HTTP stack) out of C2. That code runs on the agent's threads, once
 * at start or a few times a second, yet reaches C2's thresholds long after start and costs the JVM C2 compiles, their
 * arenas and code cache while the application warms up. Held at C1 it compiles once more at tier 1 (HotSpot's tiered
 * policy moves a method that may not go to C2 to C1 without profiling) and stays there.
 *
 * <p>The recording core ({@code io.hotpath.bootstrap}, the tracked JDK classes) is not matched: it runs on the
 * application's threads and must reach C2 like the application's code. Advice is inlined into application methods,
 * whose compilations a directive matches by their own (application) name, so the application's compilation policy is
 * untouched. The directive is pushed on the JVM's directive stack, above any the application brought with
 * {@code -XX:CompilerDirectivesFile}; it matches only our packages, so the application's directives still decide for
 * every other method, and {@code -XX:CompileCommand} options still apply to every method, ours included.
 */
final class JitDirectives {
    /** Class-name prefixes of the agent's cold-side code, in the form directive patterns take. */
    static final List<String> PACKAGES = List.of("io/hotpath/agent/", "io/hotpath/exporter/", "io/hotpath/shaded/");

    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    /** The directive waiting to be added ({@link #installLater}), until it has been or the agent stops. */
    private static Later pending;

    /** The directive was added in this JVM (or is being added). */
    private static volatile boolean added;

    private JitDirectives() {}

    /** The directive file's text: one directive matching every method of {@link #PACKAGES}, C2 excluded. */
    static String directive() {
        final StringBuilder match = new StringBuilder();
        for (String p : PACKAGES) {
            match.append(match.length() == 0 ? "" : ", ").append('"').append(p).append("*.*\"");
        }
        return "[{\"match\": [" + match + "], \"c2\": {\"Exclude\": true}}]\n";
    }

    /**
     * Adds the directive on an agent thread {@code delayNanos} from now. The DiagnosticCommand bean lives on the
     * platform MBean server, whose first use loads JMX and java.util.logging: not premain's business, and an
     * application that picks its own log manager at start has done so by then (as for the agent's JMX bean).
     */
    static synchronized void installLater(long delayNanos) {
        if (added || pending != null) {
            return; // a directive stays in the JVM across a stop and a new start: one is enough
        }
        pending = Later.start("hotpath-jit", delayNanos, () -> {
            added = true;
            final String problem = install();
            if (problem != null) {
                AgentLog.warn(problem);
            }
        });
    }

    /**
     * The agent stops: a directive still waiting is not added, and its thread has ended (bounded) when this returns.
     * One already added stays: it only holds the agent's own code at C1.
     */
    static void cancel() {
        final Later waiting;
        synchronized (JitDirectives.class) {
            waiting = pending;
            pending = null;
        }
        if (waiting != null) {
            waiting.cancel();
        }
    }

    /**
     * Adds the directive through the DiagnosticCommand bean ({@code Compiler.directives_add}, which reads a file).
     * Returns null when the JVM took it, else one line saying why not and that the agent runs on without it.
     */
    static String install() {
        Path file = null;
        try {
            file = Files.createTempFile("hotpath-jit-", ".json");
            Files.writeString(file, directive());
            final Object out = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName(DIAGNOSTIC_COMMAND),
                            "compilerDirectivesAdd",
                            new Object[] {new String[] {file.toString()}},
                            new String[] {String[].class.getName()});
            final String text = String.valueOf(out).trim();
            // The command answers "1 compiler directives added" or, when the JVM refused the file, the parse error
            // and "Parsing of compiler directives failed".
            if (text.startsWith("1 compiler directives added")) {
                AgentLog.debug("compiler directive added: the agent's own code stays out of C2");
                return null;
            }
            return notAdded(text.replace('\n', ' '));
        } catch (JMException | IOException | RuntimeException e) {
            return notAdded(String.valueOf(e));
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file the JVM's exit does not remove: nothing to add to the warning
                }
            }
        }
    }

    private static String notAdded(String why) {
        return "compiler directive for the agent's own code not added (" + why + "); the JVM may compile it with C2."
                + " hotpath.jit.directives=false skips it";
    }
}
