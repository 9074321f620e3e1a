package io.hotpath.exporter.metrics;

/**
 * The agent's own cost as it measures it, for the {@code hotpath.agent.*} gauges ({@link SelfMetrics}).
 *
 * @param cpuSeconds CPU time of the agent's threads since start
 * @param allocatedBytes heap the agent's threads allocated since start; negative when the JVM does not tell
 * @param recordingSeconds estimated CPU time the application's threads spent recording since start
 * @param backgroundCores the agent's threads' CPU over the last reading interval, in cores
 */
public record SelfReading(double cpuSeconds, long allocatedBytes, double recordingSeconds, double backgroundCores) {}
