package io.hotpath.exporter.metrics;

import java.util.Arrays;
import java.util.Map;

/**
 * The analyzer's health at one moment, as the exporter reads it: the exporter does not depend on the agent, so the
 * agent hands it a supplier of these.
 *
 * @param overall overall health 0..1
 * @param state the band of {@code overall}: {@code healthy}, {@code degraded} or {@code unhealthy}
 * @param probes health of the probes that have active findings, by probe name; every other probe is at 1
 */
public record HealthReading(double overall, String state, Map<String, Double> probes) {
    /** The bands, in the order {@code hotpath.health.state} reports them. */
    public static final String[] STATES = {"healthy", "degraded", "unhealthy"};

    /**
     * Checks the values and copies the map.
     *
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    public HealthReading {
        if (!(overall >= 0 && overall <= 1)) {
            throw new IllegalArgumentException("overall health " + overall + " is not a number from 0 to 1");
        }
        if (!Arrays.asList(STATES).contains(state)) {
            throw new IllegalArgumentException(
                    "health state '" + state + "' is not one of " + String.join(", ", STATES));
        }
        for (Map.Entry<String, Double> e : probes.entrySet()) {
            final Double h = e.getValue();
            if (h == null || !(h >= 0 && h <= 1)) {
                throw new IllegalArgumentException(
                        "health " + h + " of probe " + e.getKey() + " is not a number from 0 to 1");
            }
        }
        probes = Map.copyOf(probes);
    }
}
