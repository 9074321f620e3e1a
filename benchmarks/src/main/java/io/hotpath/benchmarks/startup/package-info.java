/**
 * The start-up and footprint subject that {@code benchmarks/run.sh} launches with and without the agent: a hello world
 * that creates one queue, so that start-up with the agent includes one real construction-site rewrite.
 */
package io.hotpath.benchmarks.startup;
