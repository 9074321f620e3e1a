/**
 * Subclasses of the JDK's queues and thread pools that record into a {@link io.hotpath.bootstrap.Probe}. The agent
 * rewrites {@code new ArrayBlockingQueue<>(n)} in application code into {@code new TrackedArrayBlockingQueue<>(n,
 * probeId)}, so each instance knows its probe through a final field, JDK-internal queues are untouched, and nothing
 * depends on when the JDK class was loaded; likewise {@code Executors.newFixedThreadPool(n)} becomes {@link
 * io.hotpath.bootstrap.jdk.TrackedExecutors#newFixedThreadPool(int, int)}. Each override calls the JDK method it
 * overrides exactly once (so locks, interrupts, fairness and exceptions are the JDK's; a test reads the bytecode to hold
 * this) and counts its outcome; whether a blocking call is about to wait is read from the JDK queue's count without
 * its lock (see {@code JdkQueueFields}). Only the methods that do the work themselves are overridden (which JDK
 * method calls which is written down in each class, for JDK 17 and 25), so that nothing is counted twice or missed; it
 * never changes what the application sees, and a fault in the recording code disables the probe instead of reaching
 * the caller.
 *
 * <p><b>internal: not an API, may change without notice.</b> On the bootstrap class path so that instrumented code can
 * call it, hence visible to the application, but not meant for it (see {@link io.hotpath.bootstrap}).
 */
package io.hotpath.bootstrap.jdk;
