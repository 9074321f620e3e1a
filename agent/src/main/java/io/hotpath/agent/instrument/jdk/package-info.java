/**
 * JDK queues and thread pools: the construction-site rewrite that replaces {@code new ArrayBlockingQueue<>(n)} or
 * {@code Executors.newFixedThreadPool(n)} in application code with the tracked twins of {@code io.hotpath.bootstrap.jdk},
 * and the table of which types and factories are replaced. No advice: the JDK classes themselves are never changed.
 */
package io.hotpath.agent.instrument.jdk;
