package io.hotpath.agent.analyze.health;

import java.util.Locale;

/** The band a health score falls in: healthy above 0.8, degraded from 0.5 to 0.8, unhealthy at 0.5 and below. */
public enum HealthState {
    /** Score above 0.8. */
    HEALTHY,
    /** Score above 0.5, up to 0.8. */
    DEGRADED,
    /** Score 0.5 or below. */
    UNHEALTHY;

    /** Upper end of the unhealthy band (inclusive). */
    public static final double UNHEALTHY_MAX = 0.5;

    /** Upper end of the degraded band (inclusive). */
    public static final double DEGRADED_MAX = 0.8;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name. */
    public String label() {
        return label;
    }

    /** The band of a score. */
    public static HealthState of(double score) {
        if (score > DEGRADED_MAX) {
            return HEALTHY;
        }
        return score > UNHEALTHY_MAX ? DEGRADED : UNHEALTHY;
    }
}
