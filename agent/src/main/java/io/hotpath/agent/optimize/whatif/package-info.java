/**
 * What-if estimates: what a change the optimizer can make (a pool one thread bigger, batches twice as large, another
 * flush interval) would do to a path's throughput and p99, from a queueing model of its constraining stage fed with
 * what the window measured: Erlang C for a pool, the amortisation of a fixed per-batch cost for a batch size, the fill
 * time against that amortisation for a flush interval ({@link io.hotpath.agent.optimize.whatif.WhatIf}).
 */
package io.hotpath.agent.optimize.whatif;
