/**
 * The JVM-wide readings and their detector: a {@link io.hotpath.agent.analyze.jvm.JvmSource} (the MXBeans in
 * production, {@link io.hotpath.agent.analyze.jvm.MxJvmSource}; a fake in tests) gives GC pauses, blocked threads and
 * CPU time, and {@link io.hotpath.agent.analyze.jvm.JvmDetector} turns them into GC pressure, lock contention and CPU
 * saturation observations that slow every stage at once.
 */
package io.hotpath.agent.analyze.jvm;
