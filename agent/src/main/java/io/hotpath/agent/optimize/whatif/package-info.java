/**
 * What-if estimates: what a change the optimizer can make (a pool one thread bigger) would do to a stage's throughput
 * and p99, from a queueing model of that stage fed with what the analyzer measured (Erlang C for a pool).
 */
package io.hotpath.agent.optimize.whatif;
