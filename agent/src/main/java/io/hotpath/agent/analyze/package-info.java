/**
 * The background bottleneck analyzer: once per tick, on the cold loop's thread, it turns the recording core's
 * snapshot into findings, a health score and an immutable {@link io.hotpath.agent.analyze.AnalysisView}.
 *
 * <p>{@link io.hotpath.agent.analyze.Analyzer} runs the tick with the thresholds of its
 * {@link io.hotpath.agent.analyze.AnalyzerConfig}; {@link io.hotpath.agent.analyze.FindingTracker} confirms what the
 * detectors observe into findings and resolves them; {@link io.hotpath.agent.analyze.Laggards} is where
 * instrumentation reports the slowest consumer of a stream it cannot see from counters alone. The parts sit in
 * sub-packages by role:
 *
 * <ul>
 *   <li>{@link io.hotpath.agent.analyze.detect}: each probe's window and the detectors that read it;
 *   <li>{@link io.hotpath.agent.analyze.jvm}: the JVM-wide readings (GC, lock contention, CPU) and their detector;
 *   <li>{@link io.hotpath.agent.analyze.finding}: what a detector observes and what a finding is;
 *   <li>{@link io.hotpath.agent.analyze.health}: the health score built from the findings.
 * </ul>
 */
package io.hotpath.agent.analyze;
