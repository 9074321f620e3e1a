package io.hotpath.benchmarks;

import io.hotpath.bootstrap.Probes;
import java.util.function.Predicate;

/**
 * Checks inside a fork that the instrumentation its {@link AgentSetup} promises is really there, so a with-agent
 * figure can never be a measurement of the plain path (and a baseline never one of the instrumented path).
 */
public final class AgentCheck {
    private AgentCheck() {}

    /** True when this fork's setup attaches hotpath ({@link AgentSetup#EXPECT_PROPERTY} is {@code tracked}). */
    public static boolean agentExpected() {
        final String expected = System.getProperty(AgentSetup.EXPECT_PROPERTY, AgentSetup.QueueClass.PLAIN.property());
        if (AgentSetup.QueueClass.TRACKED.property().equals(expected)) {
            return true;
        }
        if (AgentSetup.QueueClass.PLAIN.property().equals(expected)) {
            return false;
        }
        throw new IllegalStateException("-D" + AgentSetup.EXPECT_PROPERTY + " must be plain or tracked: " + expected);
    }

    /**
     * Throws unless a probe named {@code name} is registered in the agent's core (bootstrap-loaded) exactly when the
     * setup attaches the agent. Call it after the instrumented code has run once: probes register on first use of
     * the instrumented class.
     */
    public static void requireProbe(String name) {
        requireProbe(name, name::equals);
    }

    /** As {@link #requireProbe(String)}, for a probe whose name {@code matches}; {@code what} describes it. */
    public static void requireProbe(String what, Predicate<String> matches) {
        final boolean expected = agentExpected();
        final boolean agentCore = Probes.class.getClassLoader() == null;
        final boolean[] found = {false};
        if (agentCore) {
            Probes.forEach(p -> found[0] |= matches.test(p.name()));
        }
        if (expected && !found[0]) {
            throw new IllegalStateException("agent expected but no probe " + what + " is registered"
                    + (agentCore ? "" : " (the core is not on the bootstrap path: the agent did not start)"));
        }
        if (!expected && found[0]) {
            throw new IllegalStateException("no agent expected but probe " + what + " is registered");
        }
    }
}
