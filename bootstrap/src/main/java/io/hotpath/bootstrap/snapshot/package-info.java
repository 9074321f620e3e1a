/**
 * Cold-side snapshots of all probes: cumulative counters, distribution bucket counts and gauges, read without
 * stopping writers. The analyzer, the local outputs and the exporter all consume these.
 *
 * <p><b>internal: not an API, may change without notice.</b> On the bootstrap class path so that instrumented code can
 * call it, hence visible to the application, but not meant for it (see {@link io.hotpath.bootstrap}).
 */
package io.hotpath.bootstrap.snapshot;
