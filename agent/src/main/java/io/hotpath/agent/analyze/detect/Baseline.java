package io.hotpath.agent.analyze.detect;

/**
 * A learned baseline of one metric: exponentially weighted mean and variance with a long time constant. While a value
 * is anomalous the baseline learns ten times slower, so a real shift is not absorbed before it is reported, yet a
 * lasting new level becomes the baseline in the end. The spread has a floor, so that a metric that was perfectly flat
 * does not make every small change look like a large z-score.
 */
final class Baseline {
    private final double alpha;
    private final double absoluteFloor;
    private final double relativeFloor;
    private final int warmup;
    private double mean;
    private double variance;
    private int samples;

    /**
     * @param alpha weight of a new sample, tick / long window
     * @param absoluteFloor smallest spread, in the metric's unit
     * @param relativeFloor smallest spread as a share of the mean
     * @param warmup samples before {@link #z} says anything
     */
    Baseline(double alpha, double absoluteFloor, double relativeFloor, int warmup) {
        this.alpha = alpha;
        this.absoluteFloor = absoluteFloor;
        this.relativeFloor = relativeFloor;
        this.warmup = warmup;
    }

    /** z-score of {@code x} against the baseline; 0 during warm-up. */
    double z(double x) {
        if (samples < warmup) {
            return 0;
        }
        return (x - mean) / spread();
    }

    double spread() {
        return Math.max(Math.sqrt(variance), Math.max(absoluteFloor, relativeFloor * Math.abs(mean)));
    }

    /** Learns one sample; {@code anomalous} samples are learned ten times slower. */
    void learn(double x, boolean anomalous) {
        if (samples == 0) {
            mean = x;
            variance = 0;
        } else {
            final double a = samples < warmup ? Math.max(alpha, 1.0 / (samples + 1)) : anomalous ? alpha / 10 : alpha;
            final double diff = x - mean;
            mean += a * diff;
            variance = (1 - a) * (variance + a * diff * diff);
        }
        if (samples < Integer.MAX_VALUE) {
            samples++;
        }
    }

    double mean() {
        return mean;
    }

    boolean warm() {
        return samples >= warmup;
    }
}
