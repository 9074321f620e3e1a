/**
 * BENCHMARKS.md: JMH results and the whole-program harnesses' samples reduced to medians with their full range, set
 * beside the baseline of the same run, with the machine and how busy it was while the figures were taken.
 */
package io.hotpath.benchmarks.report;
