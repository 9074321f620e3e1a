package io.hotpath.exporter;

import java.util.Locale;

/**
 * How serious a finding, an alert or an agent event is: one scale for the analyzer, the alerts and the OTLP log
 * records. The lower-case name is used in output and configuration; each maps onto an OpenTelemetry log severity.
 */
public enum Severity {
    /** Worth knowing; never an alert by default. Exported as {@code INFO} (9). */
    INFO(9),
    /** Needs attention. Exported as {@code WARN} (13). */
    WARNING(13),
    /** Needs action now. Exported as {@code ERROR} (17). */
    CRITICAL(17);

    private final int number;
    private final String label = name().toLowerCase(Locale.ROOT);

    Severity(int number) {
        this.number = number;
    }

    /** The lower-case name. */
    public String label() {
        return label;
    }

    /** The OpenTelemetry {@code SeverityNumber} of the first level of this range (INFO=9, WARN=13, ERROR=17). */
    public int number() {
        return number;
    }

    /**
     * Parses a label, in any case.
     *
     * @throws IllegalArgumentException one line naming the value and the allowed labels
     */
    public static Severity ofLabel(String label) {
        final String t = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
        for (Severity s : values()) {
            if (s.label.equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("severity '" + label + "' is not one of info, warning, critical");
    }

    /** The more severe of two. */
    public static Severity max(Severity a, Severity b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
