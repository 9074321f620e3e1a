package io.hotpath.agent.analyze;

import java.util.List;

/**
 * The pipeline the analyzer learned, as published after a tick: the stages work was seen flowing through and the
 * edges between them. Immutable. Rates are per second over the short window; a figure that cannot be told is NaN
 * (and left out of the outputs).
 *
 * @param stages the probes on at least one edge, by name
 * @param edges where work went: a null {@code from} is work that started on a thread that took it from no probe
 * @param overflow edge samples dropped because the edge table was full ({@code hotpath.pipeline.edges.max})
 */
public record Pipeline(List<Stage> stages, List<Edge> edges, long overflow) {
    /** Copies the lists. */
    public Pipeline {
        stages = List.copyOf(stages);
        edges = List.copyOf(edges);
    }

    /** Nothing learned. */
    public static Pipeline empty() {
        return new Pipeline(List.of(), List.of(), 0);
    }

    /**
     * One stage.
     *
     * @param probe the probe name
     * @param kind its path kind
     * @param stageOf the pool this probe is the work queue of, or null
     * @param arrivalRate elements or tasks offered per second (accepted and refused)
     * @param outRate completions per second
     * @param utilisation 0..1: busy threads of a pool; share of a queue's takes that did not wait for an element
     * @param serviceRate completions per second of busy time (out rate / utilisation): what it could do flat out
     * @param queueingDelayMillis Little's law: depth / arrival rate
     */
    public record Stage(
            String probe,
            String kind,
            String stageOf,
            double arrivalRate,
            double outRate,
            double utilisation,
            double serviceRate,
            double queueingDelayMillis) {}

    /**
     * One edge.
     *
     * @param from the probe the work came from, or null for a start (a producer)
     * @param to the probe it went to
     * @param samples sampled puts counted on this edge since the start
     * @param rate estimated puts per second: the destination's arrival rate times this edge's share of its samples
     *     over the short window
     */
    public record Edge(String from, String to, long samples, double rate) {}
}
