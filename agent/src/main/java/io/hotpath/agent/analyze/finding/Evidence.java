package io.hotpath.agent.analyze.finding;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small builder for the evidence numbers of an observation, in the order they are added. */
public final class Evidence {
    private final Map<String, Double> values = new LinkedHashMap<>();

    public Evidence put(String name, double value) {
        if (frozen != null) {
            throw new IllegalStateException("evidence is read-only once its map is taken: " + name);
        }
        values.put(name, Double.isFinite(value) ? value : 0.0);
        return this;
    }

    /** Every number of {@code other}, in its order. */
    public Evidence putAll(Map<String, Double> other) {
        for (Map.Entry<String, Double> e : other.entrySet()) {
            put(e.getKey(), e.getValue());
        }
        return this;
    }

    /** The numbers, read-only; the builder takes no more after this. */
    public Map<String, Double> map() {
        if (frozen == null) {
            frozen = new Frozen(java.util.Collections.unmodifiableMap(values));
        }
        return frozen;
    }

    private Frozen frozen;

    /**
     * The read-only evidence of an observation. A {@link Finding} is rebuilt every tick from its latest observation and
     * copies the evidence it is given, except this, which nothing can change: an active finding then costs no map
     * copy per tick.
     */
    static final class Frozen extends java.util.AbstractMap<String, Double> {
        private final Map<String, Double> values;

        private Frozen(Map<String, Double> values) {
            this.values = values;
        }

        @Override
        public java.util.Set<Map.Entry<String, Double>> entrySet() {
            return values.entrySet();
        }

        @Override
        public Double get(Object key) {
            return values.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return values.containsKey(key);
        }

        @Override
        public int size() {
            return values.size();
        }
    }

    public static double clamp01(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
    }

    public static double round(double v, int decimals) {
        final double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
