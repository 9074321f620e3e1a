package io.hotpath.agent.optimize;

import java.util.Locale;

/** {@code hotpath.optimizer.mode}. */
public enum Mode {
    /** No work at all: no transformer, no thread, tunables untouched. */
    OFF,
    /** Recommendations only, logged and audited; nothing is changed. The default. */
    ADVISE,
    /** Changes are made, verified and rolled back when they do not help. */
    APPLY;

    /** As written in the property. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode for a word, or null. */
    public static Mode of(String word) {
        if (word == null) {
            return null;
        }
        for (Mode m : values()) {
            if (m.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        return null;
    }
}
