package io.hotpath.agent.instrument;

import java.util.Map;

/** Applies the user's renames ({@code hotpath.rename}) to probe names chosen by instrumentation. */
public final class ProbeNames {
    private final Map<String, String> renames;

    public ProbeNames(Map<String, String> renames) {
        this.renames = Map.copyOf(renames);
    }

    /** The name to register for a site's default name. */
    public String apply(String defaultName) {
        return renames.getOrDefault(defaultName, defaultName);
    }
}
