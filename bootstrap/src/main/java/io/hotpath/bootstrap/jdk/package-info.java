/**
 * Subclasses of the JDK's queues and thread pools that record into a {@link io.hotpath.bootstrap.Probe}. The agent
 * rewrites {@code new ArrayBlockingQueue<>(n)} in application code into {@code new TrackedArrayBlockingQueue<>(n,
 * probeId)}, so each instance knows its probe through a final field, JDK-internal queues are untouched, and nothing
 * depends on when the JDK class was loaded. Each override calls the JDK implementation and counts its outcome; it
 * never changes what the application sees, and a fault in the recording code disables the probe instead of reaching
 * the caller.
 */
package io.hotpath.bootstrap.jdk;
