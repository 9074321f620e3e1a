/**
 * Programs that {@code benchmarks/dashboard-cost.sh} launches to measure what the live dashboard costs the agent: a
 * program with many probes, refreshed the way the page refreshes.
 */
package io.hotpath.benchmarks.dashboard;
