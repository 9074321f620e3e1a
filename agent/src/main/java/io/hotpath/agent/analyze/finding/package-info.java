/**
 * What a detector observes and what a finding is: an {@link io.hotpath.agent.analyze.finding.Observation} is one
 * tick's sighting of a {@link io.hotpath.agent.analyze.finding.FindingKind} on a probe with its
 * {@link io.hotpath.agent.analyze.finding.Evidence}; a {@link io.hotpath.agent.analyze.finding.Finding} is what the
 * analyzer publishes once observations keep coming.
 */
package io.hotpath.agent.analyze.finding;
