/**
 * The JMH benchmarks of the recording core, tracked queues and pools and declared probes, each run without an agent
 * and with hotpath in the same run ({@link io.hotpath.benchmarks.AgentSetup}), and
 * {@link io.hotpath.benchmarks.BenchmarkMain}, which runs the suite and writes BENCHMARKS.md. Whole-program harnesses
 * are in {@code .program}, the report in {@code .report}.
 */
package io.hotpath.benchmarks;
