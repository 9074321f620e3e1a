package io.hotpath.agent.analyze;

import io.hotpath.bootstrap.Flows;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline as the agent learned it: stages (the probes work flows through) and the edges between them, read from
 * the recording core's sampled edge table ({@link Flows}) once per tick, plus per stage the figures of queueing
 * theory over the short window: arrival rate, completions, utilisation, service rate (completions per second of busy
 * time) and queueing delay (Little's law: depth / arrival rate).
 *
 * <p>A pool and its own work queue are one stage: the queue is folded into the pool when it is named {@code
 * <pool>.queue} (built among the pool's constructor arguments) or when the pool's workers were seen taking from it
 * (an edge from a queue into a pool only comes from a worker's take followed by a task's start). Runs on the
 * analyzer's thread only.
 */
final class PipelineModel {
    /** Where the edges come from: the recording core's table, or a test's. */
    @FunctionalInterface
    interface EdgeSource {
        void forEach(Flows.EdgeVisitor visitor);

        /** No edges: every probe is unplaced and root cause falls back to the order of detection. */
        EdgeSource NONE = v -> {};
    }

    /** The Netty probes whose edge is known rather than learned (see {@link #rebuild}). */
    static final String NETTY_OUTBOUND = "netty.outbound";

    static final List<String> NETTY_GROUPS = List.of("netty.ChannelGroup#write", "netty.ChannelGroup#writeAndFlush");

    private final EdgeSource source;
    private final int window;

    /** Per probe id: its name, kind and ring of the last {@code window + 1} ticks. */
    private final Map<Integer, Stage> stages = new HashMap<>();

    /** The same stages by probe id in an array: the per-tick lookup of every probe, without boxing or hashing. */
    private Stage[] byId = new Stage[64];

    /** The one edge visitor, not a new method reference every tick. */
    private final Flows.EdgeVisitor edgeVisitor = this::edge;

    /** Cumulative samples per edge, keyed by (from, to) ids packed in a long; from may be {@link Flows#SOURCE}. */
    private final Map<Long, EdgeState> edges = new LinkedHashMap<>();

    /** Per probe name: its stage's name (itself, or the pool a work queue belongs to). */
    private final Map<String, String> stageOf = new HashMap<>();

    /** Directed edges between stages (folded), without the source; rebuilt when an edge appears. */
    private final Map<String, Set<String>> downstream = new HashMap<>();

    private final Map<String, Integer> component = new HashMap<>();
    private boolean graphStale = true;

    /** The stages by name, for the outputs; rebuilt with the graph. */
    private Stage[] sortedStages = new Stage[0];

    PipelineModel(EdgeSource source, int windowTicks) {
        this.source = source;
        this.window = Math.max(2, windowTicks);
    }

    /** One tick: the probes' cumulative counters and gauges, then the edges' cumulative samples. */
    void update(List<ProbeSample> probes, long nanoTime) {
        for (int i = 0, n = probes.size(); i < n; i++) {
            final ProbeSample p = probes.get(i);
            final int id = p.id();
            if (id >= byId.length) {
                byId = java.util.Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
            }
            Stage s = byId[id];
            if (s == null) {
                s = new Stage(p.name(), p.kind(), window + 1);
                stages.put(id, s);
                byId[id] = s;
                graphStale = true;
            }
            s.add(p, nanoTime);
        }
        source.forEach(edgeVisitor);
        for (EdgeState e : edges.values()) {
            e.push();
        }
        if (graphStale) {
            rebuild();
        }
    }

    private void edge(int from, int to, long samples) {
        final long key = ((long) from << 32) | (to & 0xFFFF_FFFFL);
        EdgeState e = edges.get(key);
        if (e == null) {
            e = new EdgeState(from, to, window + 1);
            edges.put(key, e);
            graphStale = true;
        }
        e.samples = samples;
    }

    private String name(int id) {
        final Stage s = stages.get(id);
        return s == null ? null : s.name;
    }

    private PathKind kind(int id) {
        final Stage s = stages.get(id);
        return s == null ? null : s.kind;
    }

    private void rebuild() {
        graphStale = false;
        graphVersion++;
        stageOf.clear();
        downstream.clear();
        component.clear();
        sortedStages = stages.values().toArray(new Stage[0]);
        java.util.Arrays.sort(sortedStages, java.util.Comparator.comparing((Stage s) -> s.name));
        for (EdgeState e : edges.values()) {
            e.fromStage = e.from == Flows.SOURCE ? null : stages.get(e.from);
            e.toStage = stages.get(e.to);
        }
        final Map<String, Stage> byName = new HashMap<>();
        for (Stage s : stages.values()) {
            byName.put(s.name, s);
        }
        for (Stage s : stages.values()) {
            if (s.kind == PathKind.QUEUE && s.name.endsWith(".queue")) {
                final Stage pool = byName.get(s.name.substring(0, s.name.length() - ".queue".length()));
                if (pool != null && pool.kind == PathKind.EXECUTOR) {
                    stageOf.put(s.name, pool.name);
                }
            }
        }
        // A queue whose takers then submit to the pool also makes an edge from the queue into the pool (a batcher
        // that drains an ingress queue into a pool): when that queue also feeds the pool's named work queue, it is
        // upstream of the pool, not the queue its workers take from.
        final Set<String> feedsWorkQueue = new HashSet<>();
        for (EdgeState e : edges.values()) {
            if (e.from != Flows.SOURCE
                    && name(e.from) != null
                    && name(e.to) != null
                    && stageOf.containsKey(name(e.to))) {
                feedsWorkQueue.add(name(e.from) + "\n" + stageOf.get(name(e.to)));
            }
        }
        for (EdgeState e : edges.values()) {
            if (e.from != Flows.SOURCE
                    && kind(e.from) == PathKind.QUEUE
                    && kind(e.to) == PathKind.EXECUTOR
                    && !feedsWorkQueue.contains(name(e.from) + "\n" + name(e.to))) {
                stageOf.putIfAbsent(name(e.from), name(e.to)); // a worker took the task from this queue
            }
        }
        // A Netty channel and the socket it writes through are one stage: its outbound buffer keeps what the socket
        // does not take (a partial write), turns the channel unwritable when that grows, and is what the application
        // waits on, so a slow reader is a finding on netty.outbound, and the socket's own (partial writes) shows the
        // same cause from below. Which socket a channel writes to is not recorded, so while Netty channels are
        // tracked every stream socket's write side is taken for theirs.
        final Stage outbound = byName.get(NETTY_OUTBOUND);
        if (outbound != null) {
            for (Stage s : stages.values()) {
                if (s.kind == PathKind.IPC && streamSocketWrites(s.name)) {
                    stageOf.put(s.name, NETTY_OUTBOUND);
                }
            }
        }
        for (Stage s : stages.values()) {
            s.stageOf = stageOf.get(s.name);
        }
        final Set<String> placed = new HashSet<>();
        for (EdgeState e : edges.values()) {
            final String to = name(e.to);
            if (to == null) {
                continue;
            }
            placed.add(stage(to));
            if (e.from == Flows.SOURCE || name(e.from) == null) {
                continue;
            }
            final String a = stage(name(e.from));
            final String b = stage(to);
            placed.add(a);
            if (!a.equals(b)) {
                downstream.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            }
        }
        // A Netty channel group's broadcast hands its message to every channel's outbound buffer, written later on the
        // channel's event loop, where no thread carries the broadcaster's stage: the edge from the group to the
        // outbound buffers is known, not learned.
        if (outbound != null) {
            for (String group : NETTY_GROUPS) {
                if (placed.contains(group)) {
                    placed.add(NETTY_OUTBOUND);
                    downstream.computeIfAbsent(group, k -> new HashSet<>()).add(NETTY_OUTBOUND);
                }
            }
        }
        // Components of the undirected graph: stages joined by an edge either way.
        final Map<String, Set<String>> undirected = new HashMap<>();
        for (String p : placed) {
            undirected.computeIfAbsent(p, k -> new HashSet<>());
        }
        for (Map.Entry<String, Set<String>> e : downstream.entrySet()) {
            for (String b : e.getValue()) {
                undirected.get(e.getKey()).add(b);
                undirected.get(b).add(e.getKey());
            }
        }
        int next = 0;
        for (String start : undirected.keySet()) {
            if (component.containsKey(start)) {
                continue;
            }
            final ArrayDeque<String> todo = new ArrayDeque<>(List.of(start));
            component.put(start, next);
            while (!todo.isEmpty()) {
                for (String n : undirected.get(todo.poll())) {
                    if (component.putIfAbsent(n, next) == null) {
                        todo.add(n);
                    }
                }
            }
            next++;
        }
    }

    /**
     * Whether a probe counts a stream socket's writes: the operation {@code net.tcp#write} or {@code net.uds#write}, or
     * an endpoint of those families (which counts its reads and writes).
     */
    static boolean streamSocketWrites(String probe) {
        return (probe.startsWith("net.tcp") || probe.startsWith("net.uds")) && !probe.endsWith("#read");
    }

    /**
     * How many times the graph was worked out: stages, edges, folds, components and distances change only when it
     * grows, so results computed from them can be kept while it stays the same.
     */
    long graphVersion() {
        return graphVersion;
    }

    private long graphVersion;

    /** The stage a probe belongs to: its own name, or the pool whose work queue it is. */
    String stage(String probe) {
        return stageOf.getOrDefault(probe, probe);
    }

    /**
     * The connected part of the pipeline the probe's stage is in (stages linked by edges either way), or -1 when no
     * edge into or out of it was learned: the probe is not placed.
     */
    int component(String probe) {
        return component.getOrDefault(stage(probe), -1);
    }

    /** Whether stage {@code to} can be reached from stage {@code from} along the edges (not the same stage). */
    boolean isDownstream(String from, String to) {
        final String a = stage(from);
        final String b = stage(to);
        if (a.equals(b)) {
            return false;
        }
        final Set<String> seen = new HashSet<>();
        final ArrayDeque<String> todo = new ArrayDeque<>(List.of(a));
        while (!todo.isEmpty()) {
            for (String n : downstream.getOrDefault(todo.poll(), Set.of())) {
                if (n.equals(b)) {
                    return true;
                }
                if (seen.add(n)) {
                    todo.add(n);
                }
            }
        }
        return false;
    }

    /** Steps along the edges (either way) from stage {@code a} to stage {@code b}; -1 when not connected. */
    int distance(String from, String to) {
        final String a = stage(from);
        final String b = stage(to);
        if (a.equals(b)) {
            return 0;
        }
        final Map<String, Integer> dist = new HashMap<>(Map.of(a, 0));
        final ArrayDeque<String> todo = new ArrayDeque<>(List.of(a));
        while (!todo.isEmpty()) {
            final String n = todo.poll();
            final List<String> next = new ArrayList<>(downstream.getOrDefault(n, Set.of()));
            for (Map.Entry<String, Set<String>> e : downstream.entrySet()) {
                if (e.getValue().contains(n)) {
                    next.add(e.getKey());
                }
            }
            for (String m : next) {
                if (dist.putIfAbsent(m, dist.get(n) + 1) == null) {
                    if (m.equals(b)) {
                        return dist.get(m);
                    }
                    todo.add(m);
                }
            }
        }
        return -1;
    }

    /** Utilisation of the probe's stage over the short window, 0..1, or NaN when it cannot be told. */
    double utilisation(String probe) {
        final String st = stage(probe);
        for (Stage s : stages.values()) {
            if (s.name.equals(st)) {
                return s.utilisation();
            }
        }
        return Double.NaN;
    }

    /**
     * The graph and the stage figures as they are now, for the outputs: {@link #markGraph}, {@link #viewStages} and
     * {@link #viewEdges} in turn. The analyzer calls the three as steps of its own, so that the JIT compiles each on its
     * own (as one method they made a compilation of 12 MB of compiler memory on JDK 25). The stage order, each edge's
     * ends and the pool each work queue folds into are worked out when the graph changes ({@link #rebuild}); the
     * per-tick part is passes over plain fields, with no map, set, boxing or sort.
     */
    Pipeline view() {
        markGraph();
        return viewEdges(viewStages());
    }

    /** First part of {@link #view}: which stages an edge touches, and the edge samples into each over the window. */
    void markGraph() {
        for (Stage s : sortedStages) {
            s.arrivalsIn = 0;
            s.inGraph = false;
        }
        for (EdgeState e : edges.values()) {
            e.lastDelta = e.delta();
            if (e.toStage != null) {
                e.toStage.inGraph = true;
                e.toStage.arrivalsIn += e.lastDelta;
            }
            if (e.fromStage != null) {
                e.fromStage.inGraph = true;
            }
        }
    }

    /** Second part of {@link #view}: the stages an edge touches, by name, with their figures. */
    List<Pipeline.Stage> viewStages() {
        final List<Pipeline.Stage> outStages = new ArrayList<>();
        for (Stage s : sortedStages) {
            if (s.inGraph) {
                outStages.add(s.view());
            }
        }
        return outStages;
    }

    /** Last part of {@link #view}: the edges, and the pipeline with the stages of {@link #viewStages}. */
    Pipeline viewEdges(List<Pipeline.Stage> stages) {
        final List<Pipeline.Edge> outEdges = new ArrayList<>();
        for (EdgeState e : edges.values()) {
            if (e.toStage != null) {
                outEdges.add(e.view());
            }
        }
        return new Pipeline(stages, outEdges, Flows.overflow());
    }

    /** An edge's cumulative samples and a ring of them, for the samples of the short window. */
    private static final class EdgeState {
        final int from;
        final int to;
        long samples;
        /** The last {@code window + 1} cumulative samples, oldest at {@code (next - count) mod size}. */
        private final long[] ring;

        private int next;
        private int count;
        /** Scratch of {@link PipelineModel#view}: this tick's {@link #delta}. */
        long lastDelta;

        /** The stages at its ends, once known (set by rebuild); null for the source or a probe not seen yet. */
        Stage fromStage;

        Stage toStage;

        EdgeState(int from, int to, int size) {
            this.from = from;
            this.to = to;
            this.ring = new long[size];
        }

        void push() {
            ring[next] = samples;
            next = (next + 1) % ring.length;
            count = Math.min(count + 1, ring.length);
        }

        /** Samples over the ring: newest minus oldest, 0 before the first push. */
        long delta() {
            if (count == 0) {
                return 0;
            }
            final int newest = (next - 1 + ring.length) % ring.length;
            final int oldest = (next - count + ring.length) % ring.length;
            return ring[newest] - ring[oldest];
        }

        /** This edge for the outputs: its share of the arrivals at its end, by its share of the samples there. */
        Pipeline.Edge view() {
            final long all = toStage.arrivalsIn;
            final double arrivals = toStage.arrivalRateNow;
            final double rate = all > 0 ? arrivals * lastDelta / all : 0.0;
            return new Pipeline.Edge(fromStage == null ? null : fromStage.name, toStage.name, samples, rate);
        }
    }

    /** The last ticks of one probe: time, offered, completed, waits on empty, depth and pool gauges. */
    private static final class Stage {
        final String name;
        final PathKind kind;
        final long[] nanos;
        final long[] offered;
        final long[] out;
        final long[] waited;
        long depth = Gauge.ABSENT;
        long active = Gauge.ABSENT;
        long poolSize = Gauge.ABSENT;
        int head = -1;
        int filled;
        /** Scratch of {@link PipelineModel#view}: the edge samples into this stage, and whether an edge touches it. */
        long arrivalsIn;

        boolean inGraph;
        /** The pool this work queue is folded into, or null; set by rebuild. */
        String stageOf;
        /** Scratch of {@link PipelineModel#view}: the arrival rate its stage figures were given. */
        double arrivalRateNow;

        Stage(String name, PathKind kind, int size) {
            this.name = name;
            this.kind = kind;
            nanos = new long[size];
            offered = new long[size];
            out = new long[size];
            waited = new long[size];
        }

        void add(ProbeSample p, long nanoTime) {
            head = (head + 1) % nanos.length;
            filled = Math.min(filled + 1, nanos.length);
            nanos[head] = nanoTime;
            offered[head] = p.counter(Slot.IN) + p.counter(Slot.DROPPED);
            out[head] = p.counter(Slot.OUT);
            waited[head] = p.counter(Slot.WAITED);
            depth = p.gauge(Gauge.DEPTH);
            active = p.gauge(Gauge.ACTIVE);
            poolSize = p.gauge(Gauge.POOL_SIZE);
        }

        private int oldest() {
            return (head - filled + 1 + nanos.length) % nanos.length;
        }

        private double seconds() {
            return (nanos[head] - nanos[oldest()]) / 1e9;
        }

        private double rate(long[] series) {
            final double s = seconds();
            return filled < 2 || s <= 0 ? Double.NaN : (series[head] - series[oldest()]) / s;
        }

        double arrivalRate() {
            return rate(offered);
        }

        double outRate() {
            return rate(out);
        }

        /**
         * A pool: busy threads / threads. A queue: the share of takes that did not find it empty (a consumer that
         * never waits is busy all the time); NaN without takes.
         */
        double utilisation() {
            if (kind == PathKind.EXECUTOR) {
                return active >= 0 && poolSize > 0 ? Math.min(1.0, active / (double) poolSize) : Double.NaN;
            }
            if (kind != PathKind.QUEUE || filled < 2) {
                return Double.NaN;
            }
            final long takes = out[head] - out[oldest()];
            if (takes <= 0) {
                return depth > 0 ? 1.0 : Double.NaN;
            }
            return Math.max(0.0, Math.min(1.0, 1.0 - (waited[head] - waited[oldest()]) / (double) takes));
        }

        /** Completions per second of busy time: what the stage could do flat out. */
        private static double serviceRate(double u, double r) {
            return Double.isNaN(u) || Double.isNaN(r) || u < 0.01 ? Double.NaN : r / u;
        }

        /**
         * This stage for the outputs, each figure worked out once: it runs every tick and the JIT compiles it into
         * {@link PipelineModel#view}, where working out the rates again for the service rate and the queueing delay
         * made that one compilation large.
         */
        Pipeline.Stage view() {
            final double arrivals = arrivalRate();
            final double outs = outRate();
            final double u = utilisation();
            arrivalRateNow = arrivals;
            return new Pipeline.Stage(
                    name,
                    kind.label(),
                    stageOf,
                    arrivals,
                    outs,
                    u,
                    serviceRate(u, outs),
                    queueingDelayMillis(arrivals));
        }

        /** Little's law: depth / arrival rate, in milliseconds. */
        private double queueingDelayMillis(double a) {
            return depth < 0 || Double.isNaN(a) || a <= 0 ? Double.NaN : depth / a * 1000.0;
        }
    }
}
