/**
 * Each probe's window and the detectors that read it: {@link io.hotpath.agent.analyze.detect.ProbeState} keeps a
 * probe's recent cumulative counters, gauges, interval p99 ({@link io.hotpath.agent.analyze.detect.IntervalPercentile})
 * and learned {@link io.hotpath.agent.analyze.detect.Baseline}s; every
 * {@link io.hotpath.agent.analyze.detect.ProbeDetector} (thresholds, saturation, back-pressure, anomalies) reads it
 * and adds observations. Fixed memory per probe, no allocation per tick.
 */
package io.hotpath.agent.analyze.detect;
