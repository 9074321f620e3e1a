package io.hotpath.agent.analyze.finding;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small builder for the evidence numbers of an observation, in the order they are added. */
public final class Evidence {
    private final Map<String, Double> values = new LinkedHashMap<>();

    public Evidence put(String name, double value) {
        values.put(name, Double.isFinite(value) ? value : 0.0);
        return this;
    }

    public Map<String, Double> map() {
        return values;
    }

    public static double clamp01(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
    }

    public static double round(double v, int decimals) {
        final double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
