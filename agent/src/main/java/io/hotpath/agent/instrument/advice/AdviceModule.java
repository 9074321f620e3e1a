package io.hotpath.agent.instrument.advice;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One group of advice-based instrumentation (user-declared methods, sockets, Netty, Aeron, ...). A module adds its
 * type matchers and transformers to the single shared {@link AgentBuilder}; it must check that the library types and
 * methods it expects exist before it matches anything, so an unsupported version is skipped, never broken.
 */
public interface AdviceModule {
    /** Short name used in logs and in the hotpath.instrument.* switch. */
    String name();

    /** Adds this module's transformations. */
    AgentBuilder extend(AgentBuilder builder, AdviceSupport support);

    /** Called on the agent's thread some seconds after start and at exit; reports what matched nothing, once. */
    default void reportUnmatched() {}
}
