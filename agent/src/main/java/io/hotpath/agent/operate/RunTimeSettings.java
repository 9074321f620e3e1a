package io.hotpath.agent.operate;

import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Setting;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The settings changed while the agent runs: the configuration in force (the start's, with every run-time change
 * applied) and, per changeable setting, the code that makes the running parts read its new value. A change builds the
 * new configuration, hands it to the setting's applier (which may refuse it with an {@link IllegalArgumentException}
 * naming the value and what is allowed) and only then makes it the one in force. Changes are serialised; the parts
 * they reach (analyzer, alerter, loop) read the new values at their next tick. Thread-safe.
 */
public final class RunTimeSettings {
    private static volatile RunTimeSettings current;

    private final Map<Setting<?>, Consumer<Config>> appliers = new IdentityHashMap<>();
    private Config config;

    /** @param start the configuration read at start */
    public RunTimeSettings(Config start) {
        this.config = start;
    }

    /** Makes {@code s} the agent's run-time settings; returns it. */
    public static RunTimeSettings install(RunTimeSettings s) {
        current = s;
        return s;
    }

    /** The agent's run-time settings, or null before the agent started its background loop. */
    public static RunTimeSettings current() {
        return current;
    }

    /** Registers what applies a new value of {@code s} (given the whole new configuration). Call before it runs. */
    public synchronized RunTimeSettings on(Setting<?> s, Consumer<Config> applier) {
        appliers.put(s, applier);
        return this;
    }

    /** Whether a change of {@code s} can be applied in this run (its part exists: alerts on, analyzer on, ...). */
    public synchronized boolean applies(Setting<?> s) {
        return appliers.containsKey(s);
    }

    /**
     * Applies {@code value} (already parsed) to {@code s}; returns the value in force before, as the configuration
     * held it.
     *
     * @throws IllegalArgumentException when the applier refuses the value (the message names it and what is allowed)
     */
    public synchronized <T> T change(Setting<T> s, T value, String who) {
        final Consumer<Config> applier = appliers.get(s);
        if (applier == null) {
            throw new IllegalStateException("no run-time handler for " + s.key());
        }
        final T before = config.get(s);
        final Config next = config.with(s, value, "run time (" + who + ")");
        applier.accept(next);
        config = next;
        return before;
    }

    /** The configuration in force now. */
    public synchronized Config config() {
        return config;
    }
}
