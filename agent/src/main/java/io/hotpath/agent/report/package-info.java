/**
 * The cold-side view of the recording core and the two local outputs built from it.
 *
 * <p>{@link io.hotpath.agent.report.SnapshotTaker} copies every probe's cumulative counters and bucket counts into an
 * immutable {@link io.hotpath.agent.report.Snapshot}; {@link io.hotpath.agent.report.Report#of} turns two snapshots
 * into rates and percentiles; {@link io.hotpath.agent.report.JsonDump} and
 * {@link io.hotpath.agent.report.TerminalSummary} render a report. Nothing here is called by instrumented code.
 */
package io.hotpath.agent.report;
