/**
 * Cold-side snapshots of all probes: cumulative counters, distribution bucket counts and gauges, read without
 * stopping writers. The analyzer, the local outputs and the exporter all consume these.
 */
package io.hotpath.bootstrap.snapshot;
