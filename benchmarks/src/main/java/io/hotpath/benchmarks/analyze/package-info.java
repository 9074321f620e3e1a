/**
 * The analyzer's own cost: CPU time per analyzer tick with a thousand live probes, measured by a loop harness because
 * the quantity is a stateful tick fed a realistic sequence, not one independent invocation.
 */
package io.hotpath.benchmarks.analyze;
