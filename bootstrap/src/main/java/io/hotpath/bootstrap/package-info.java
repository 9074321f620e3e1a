/**
 * The recording core that instrumented code calls: the probe registry ({@link io.hotpath.bootstrap.Probes}), each
 * probe's striped counters and histograms ({@link io.hotpath.bootstrap.Probe}), and the tunable cells the optimizer
 * writes and application code reads ({@link io.hotpath.bootstrap.Tunables}). Hot methods are wait-free and
 * allocation-free.
 *
 * <p><b>internal: not an API, may change without notice.</b> These packages are appended to the bootstrap class path
 * so that JDK classes and the application's rewritten code can call them; that makes them visible to the
 * application, not meant for it. Nothing here is kept compatible between releases, and code that calls it directly
 * may break with any version of the agent. The agent jar is the only supported interface.
 *
 * <p>Why a sentence and not a marker: the bootstrap search path puts these classes in the boot loader's unnamed
 * module, where a {@code module-info} is ignored, and an {@code @Internal} annotation would be one more class on the
 * bootstrap path that enforces nothing. The OpenTelemetry Java agent marks its bootstrap classes the same way, in
 * words.
 */
package io.hotpath.bootstrap;
