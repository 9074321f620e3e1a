/**
 * Whole-program harnesses that launch their own JVMs, alternating the setups: the MooBench-style recursion
 * ({@link io.hotpath.benchmarks.program.MooBenchRunner}) and the reference broadcaster's throughput
 * ({@link io.hotpath.benchmarks.program.ThroughputRunner}). Each writes one tab-separated sample per line that
 * {@link io.hotpath.benchmarks.report.RunSamples} reads for the report.
 */
package io.hotpath.benchmarks.program;
