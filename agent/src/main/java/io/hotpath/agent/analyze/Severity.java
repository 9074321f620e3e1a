package io.hotpath.agent.analyze;

import java.util.Locale;

/** How serious a finding or an alert is; the lower-case name is used in output and configuration. */
public enum Severity {
    /** Worth knowing; never an alert by default. */
    INFO,
    /** Needs attention. */
    WARNING,
    /** Needs action now. */
    CRITICAL;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name. */
    public String label() {
        return label;
    }

    /** Parses a lower-case label. */
    public static Severity ofLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }

    /** The more severe of two. */
    public static Severity max(Severity a, Severity b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
