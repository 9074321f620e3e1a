package io.hotpath.agent.analyze;

import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Settings;
import java.time.Duration;

/**
 * The analyzer's thresholds and windows, from the {@code hotpath.analyzer.*} settings (docs/configuration.md). The
 * warning / critical defaults are the ones the earlier systems used: queue depth 1000 / 5000, throughput 100 / 50 msg/s
 * (low is bad), latency 100 / 500 ms, error rate 1% / 5%.
 *
 * @param tick the snapshot interval the analyzer is fed at
 * @param shortWindow rates and percentiles are smoothed over it; a condition must hold for half of it to be a finding
 * @param longWindow time constant of the learned baselines
 * @param resolveAfter a finding whose condition has not held for this long is resolved
 * @param sustain a finding stays info until its condition has lasted this long without a gap
 * @param depthWarning queue depth of a warning finding
 * @param depthCritical queue depth of a critical finding
 * @param throughputWarning completions per second under which a probe with expected traffic is a warning
 * @param throughputCritical completions per second under which it is critical
 * @param latencyWarningNanos p99 latency of a warning finding
 * @param latencyCriticalNanos p99 latency of a critical finding
 * @param errorWarning error share of a warning finding
 * @param errorCritical error share of a critical finding
 * @param backPressureWarning dropped / blocked / partial share of arrivals that is a warning
 * @param backPressureCritical the same share that is critical
 * @param saturationBusy share of busy pool threads that, with tasks waiting, is saturation
 * @param saturationMinDepth smallest depth at which arrivals outrunning completions is saturation
 * @param anomalyZ z-score above which a value is anomalous
 * @param gcWarning GC pause share of wall time that is a warning
 * @param gcCritical GC pause share that is critical
 * @param locksWarning average threads blocked on monitors that is a warning
 * @param locksCritical average threads blocked that is critical
 * @param contentionMonitoring turn on the JVM's thread contention monitoring
 * @param cpuWarning process CPU share of all cores that is a warning
 * @param cpuCritical process CPU share that is critical
 * @param jvmInterval how often thread states and CPU are read
 * @param warmupJit JIT compilation time over the short window, as a share of one CPU, at which the JVM is warming up
 * @param findingsMax most findings kept
 */
public record AnalyzerConfig(
        Duration tick,
        Duration shortWindow,
        Duration longWindow,
        Duration resolveAfter,
        Duration sustain,
        long depthWarning,
        long depthCritical,
        double throughputWarning,
        double throughputCritical,
        long latencyWarningNanos,
        long latencyCriticalNanos,
        double errorWarning,
        double errorCritical,
        double backPressureWarning,
        double backPressureCritical,
        double saturationBusy,
        long saturationMinDepth,
        double anomalyZ,
        double gcWarning,
        double gcCritical,
        double locksWarning,
        double locksCritical,
        boolean contentionMonitoring,
        double cpuWarning,
        double cpuCritical,
        Duration jvmInterval,
        double warmupJit,
        int findingsMax) {

    /** Every setting at its documented default, with a 100 ms tick. */
    public static AnalyzerConfig defaults() {
        return from(Config.resolve("", new java.util.Properties(), java.util.Map.of()));
    }

    /** Reads the {@code hotpath.analyzer.*} settings and {@code hotpath.tick}. */
    public static AnalyzerConfig from(Config c) {
        return new AnalyzerConfig(
                c.get(Settings.TICK),
                c.get(Settings.ANALYZER_WINDOW_SHORT),
                c.get(Settings.ANALYZER_WINDOW_LONG),
                c.get(Settings.ANALYZER_RESOLVE_AFTER),
                c.get(Settings.ANALYZER_SUSTAIN),
                c.get(Settings.ANALYZER_QUEUE_DEPTH_WARNING),
                c.get(Settings.ANALYZER_QUEUE_DEPTH_CRITICAL),
                c.get(Settings.ANALYZER_THROUGHPUT_WARNING),
                c.get(Settings.ANALYZER_THROUGHPUT_CRITICAL),
                c.get(Settings.ANALYZER_LATENCY_WARNING).toNanos(),
                c.get(Settings.ANALYZER_LATENCY_CRITICAL).toNanos(),
                c.get(Settings.ANALYZER_ERROR_RATE_WARNING),
                c.get(Settings.ANALYZER_ERROR_RATE_CRITICAL),
                c.get(Settings.ANALYZER_BACKPRESSURE_WARNING),
                c.get(Settings.ANALYZER_BACKPRESSURE_CRITICAL),
                c.get(Settings.ANALYZER_SATURATION_BUSY),
                c.get(Settings.ANALYZER_SATURATION_MIN_DEPTH),
                c.get(Settings.ANALYZER_ANOMALY_Z),
                c.get(Settings.ANALYZER_GC_WARNING),
                c.get(Settings.ANALYZER_GC_CRITICAL),
                c.get(Settings.ANALYZER_LOCKS_WARNING),
                c.get(Settings.ANALYZER_LOCKS_CRITICAL),
                c.get(Settings.ANALYZER_LOCKS_MONITORING),
                c.get(Settings.ANALYZER_CPU_WARNING),
                c.get(Settings.ANALYZER_CPU_CRITICAL),
                c.get(Settings.ANALYZER_JVM_INTERVAL),
                c.get(Settings.ANALYZER_WARMUP_JIT),
                c.get(Settings.ANALYZER_FINDINGS_MAX));
    }

    /**
     * Null when every warning threshold is on the right side of its critical one (no higher for the levels where high
     * is bad, no lower for throughput, where low is bad); else one line naming the pair. For run-time changes, which
     * must not leave a detector that can never warn.
     */
    public String thresholdProblem() {
        if (depthWarning > depthCritical) {
            return pair(
                    Settings.ANALYZER_QUEUE_DEPTH_WARNING,
                    depthWarning,
                    Settings.ANALYZER_QUEUE_DEPTH_CRITICAL,
                    depthCritical,
                    "at most");
        }
        if (throughputWarning < throughputCritical) {
            return pair(
                    Settings.ANALYZER_THROUGHPUT_WARNING,
                    throughputWarning,
                    Settings.ANALYZER_THROUGHPUT_CRITICAL,
                    throughputCritical,
                    "at least");
        }
        if (latencyWarningNanos > latencyCriticalNanos) {
            return pair(
                    Settings.ANALYZER_LATENCY_WARNING,
                    Duration.ofNanos(latencyWarningNanos),
                    Settings.ANALYZER_LATENCY_CRITICAL,
                    Duration.ofNanos(latencyCriticalNanos),
                    "at most");
        }
        if (errorWarning > errorCritical) {
            return pair(
                    Settings.ANALYZER_ERROR_RATE_WARNING,
                    errorWarning,
                    Settings.ANALYZER_ERROR_RATE_CRITICAL,
                    errorCritical,
                    "at most");
        }
        if (backPressureWarning > backPressureCritical) {
            return pair(
                    Settings.ANALYZER_BACKPRESSURE_WARNING,
                    backPressureWarning,
                    Settings.ANALYZER_BACKPRESSURE_CRITICAL,
                    backPressureCritical,
                    "at most");
        }
        if (gcWarning > gcCritical) {
            return pair(Settings.ANALYZER_GC_WARNING, gcWarning, Settings.ANALYZER_GC_CRITICAL, gcCritical, "at most");
        }
        if (locksWarning > locksCritical) {
            return pair(
                    Settings.ANALYZER_LOCKS_WARNING,
                    locksWarning,
                    Settings.ANALYZER_LOCKS_CRITICAL,
                    locksCritical,
                    "at most");
        }
        if (cpuWarning > cpuCritical) {
            return pair(
                    Settings.ANALYZER_CPU_WARNING, cpuWarning, Settings.ANALYZER_CPU_CRITICAL, cpuCritical, "at most");
        }
        return null;
    }

    private static String pair(
            io.hotpath.agent.config.Setting<?> warning,
            Object w,
            io.hotpath.agent.config.Setting<?> critical,
            Object c,
            String side) {
        return "allowed: " + warning.key() + " " + side + " " + critical.key() + "; they would be " + w + " and " + c;
    }

    /** Ticks in the short window, at least 2. */
    public int shortTicks() {
        return (int) Math.max(2, shortWindow.toNanos() / Math.max(1, tick.toNanos()));
    }

    /** Ticks after which a finding that stopped holding is resolved, at least 1. */
    public int resolveTicks() {
        return (int) Math.max(1, resolveAfter.toNanos() / Math.max(1, tick.toNanos()));
    }
}
