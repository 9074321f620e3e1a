package io.hotpath.agent.instrument.advice;

import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * The classes this module transforms, by binary name, when it transforms only those. Such a module is installed
     * lazily ({@link DeferredAdvice}): nothing of it, Byte Buddy included, is loaded until one of these classes is
     * about to be defined, and Byte Buddy never looks at any other class for it. Empty (the default) means the module
     * matches by other criteria and is installed at start. A module that names targets must name every class its
     * matchers can match: no other class reaches them.
     */
    default Set<String> targetTypes() {
        return Set.of();
    }

    /**
     * Internal names of packages ({@code io/netty/}, ending in {@code /}) or of single classes ({@code java/net/Socket},
     * matching it and its nested classes only) of the library the targets belong to: its first class starts preparing
     * the advice on a daemon thread, so it is usually ready before a target is defined.
     */
    default List<String> libraryPrefixes() {
        return List.of();
    }

    /**
     * Registers, at start, the probes the module's advice counts on when they do not depend on the class instrumented.
     * A deferred module's advice lands some time after the application first uses its library; a connection opened
     * meanwhile is adopted by the advice later, and its calls from then on are counted on probes that exist whether
     * or not the build ended before the program did. Must load nothing of Byte Buddy ({@link ProbeRegistration}).
     */
    default void registerProbes(AdviceSupport support) {}

    /**
     * Where this module's advice sets an instance of a target up, once per instance (tracks it for a gauge, attaches
     * its stream probe): binary name of the target class to the name of the method, {@code <init>} for its
     * constructors. A target defined before the advice is built loads without waiting for it and keeps, at these
     * sites, a call that hands the instance to {@link #adopt} once the advice is in place.
     */
    default Map<String, String> setUpSites() {
        return Map.of();
    }

    /**
     * Sets up, on the agent's thread once the advice is in place, an instance that went through a {@link #setUpSites
     * site} of {@code type} before it was: what the advice at that site would have done. Called once per instance;
     * what the instance did before this is not counted.
     */
    default void adopt(String type, Object instance) {}

    /** Called on the agent's thread some seconds after start and at exit; reports what matched nothing, once. */
    default void reportUnmatched() {}
}
