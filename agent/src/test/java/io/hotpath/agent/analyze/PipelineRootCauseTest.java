package io.hotpath.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.bootstrap.Flows;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Root cause from the learned pipeline, on synthetic snapshots and edges: the constraint is named whichever finding
 * comes first, independent paths stay apart, and every finding above info belongs to one incident.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipelineRootCauseTest {
    private final Synth synth = new Synth();
    private final List<long[]> edges = new ArrayList<>();
    /** The JVM beneath: idle unless a test sets {@link #cpu}, {@link #gc} or {@link #blocked}. */
    private final JvmDetectorTest.FakeJvm jvm = new JvmDetectorTest.FakeJvm();

    private final Analyzer analyzer = new Analyzer(
            Synth.config(),
            jvm,
            v -> {
                for (long[] e : edges) {
                    v.edge((int) e[0], (int) e[1], e[2]);
                }
            },
            false);

    /** Share of both cores the process uses at each tick. */
    private double cpu = 0.3;

    /** Whether the collector pauses 30% of each tick, once. */
    private boolean gc;

    /** Whether a thread is blocked on a monitor all of each tick. */
    private boolean blocked;

    private void edge(int from, Synth.Probe to) {
        edges.add(new long[] {from, to.id, 0});
    }

    private void edge(Synth.Probe from, Synth.Probe to) {
        edge(from.id, to);
    }

    private void tick() {
        for (long[] e : edges) {
            e[2] += 3; // a few sampled puts per tick on every edge
        }
        jvm.cpuNanos += (long) (cpu * jvm.processors() * Synth.TICK_NANOS);
        if (gc) {
            jvm.gcMillis += 30;
            jvm.gcCount++;
        }
        jvm.blockedMillis += blocked ? 100 : 0;
        jvm.blockedNow = blocked ? 1 : 0;
        analyzer.onSnapshot(synth.tick());
    }

    /** {@code n} ticks, each after {@code flow} has recorded what happened during it. */
    private void ticks(int n, Runnable flow) {
        for (int i = 0; i < n; i++) {
            flow.run();
            tick();
        }
    }

    /**
     * Queues {@code stage1 .. stageN} in a line from the start of the pipeline, after 60 ticks of healthy flow (the
     * anomaly baselines' warm-up).
     */
    private Synth.Probe[] line(int n) {
        final Synth.Probe[] stages = new Synth.Probe[n];
        for (int i = 0; i < n; i++) {
            stages[i] = synth.probe("stage" + (i + 1), PathKind.QUEUE);
            edge(i == 0 ? Flows.SOURCE : stages[i - 1].id, stages[i]);
        }
        ticks(60, () -> {
            for (Synth.Probe s : stages) {
                flow(s, 0);
            }
        });
        return stages;
    }

    /** One tick of a queue that accepts 1,000 and refuses {@code dropped} offers. */
    private static void flow(Synth.Probe q, int dropped) {
        q.add(Slot.IN, 1000).add(Slot.OUT, 1000).add(Slot.DROPPED, dropped);
    }

    private Finding finding(FindingKind kind, String probe) {
        return analyzer.view().active().stream()
                .filter(f -> f.kind() == kind && f.probe().equals(probe))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        kind + " on " + probe + " in " + analyzer.view().active()));
    }

    private List<Incident> incidents() {
        return analyzer.view().activeIncidents();
    }

    @ParameterizedTest(name = "the {0} stage's finding comes first")
    @ValueSource(strings = {"first", "middle", "last"})
    void theMiddleStageOfAThreeStagePipelineIsTheConstraintWhicheverFindingComesFirst(String first) {
        final Synth.Probe[] line = line(3);
        final Synth.Probe a = line[0];
        final Synth.Probe b = line[1];
        final Synth.Probe c = line[2];
        // The middle stage refuses offers and the first backs up behind it (its own refusals). Which finding the
        // detectors confirm first is set by when each condition starts; "last": a deep queue after the constraint
        // (a depth finding, which can never be a root) is seen before both.
        for (int i = 0; i < 40; i++) {
            final boolean early = i < 8;
            flow(a, !early || first.equals("first") ? 300 : 0);
            flow(b, !early || first.equals("middle") ? 300 : 0);
            flow(c, 0);
            c.gauge(Gauge.DEPTH, first.equals("last") ? 2000 : 0);
            tick();
        }
        final Finding root = finding(FindingKind.BACK_PRESSURE, "stage2");
        assertThat(root.root()).isNull();
        assertThat(finding(FindingKind.BACK_PRESSURE, "stage1").root()).isEqualTo(root.key());
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.root()).isEqualTo(root.key());
            assertThat(i.consequences()).contains("back_pressure:stage1");
            assertThat(i.chain()).contains("stage1 back_pressure \u2190 ").endsWith(" \u2190 stage2 back_pressure");
            if (first.equals("last")) {
                assertThat(i.consequences()).contains("queue_depth:stage3");
            }
        });
    }

    @Test
    void aSteadyIncidentIsKeptTickAfterTickAndBuiltAgainWhenAFindingJoinsIt() {
        final Synth.Probe[] line = line(3);
        final Synth.Probe a = line[0];
        final Synth.Probe b = line[1];
        final Synth.Probe c = line[2];
        Incident before = null;
        int kept = 0;
        for (int i = 0; i < 60; i++) {
            flow(a, 300);
            flow(b, 300);
            flow(c, 0);
            tick();
            final List<Incident> now = incidents();
            if (before != null && now.size() == 1 && now.get(0).equals(before)) {
                // An incident that reads the same as the tick before is the same object: not built again.
                assertThat(now.get(0)).isSameAs(before);
                kept++;
            }
            before = now.size() == 1 ? now.get(0) : null;
        }
        assertThat(kept).as("ticks whose incident read as the one before").isPositive();
        assertThat(before).isNotNull();
        assertThat(before.consequences()).doesNotContain("queue_depth:stage3");
        // A deep queue after the constraint joins the incident as one more consequence: it is built again.
        ticks(40, () -> {
            flow(a, 300);
            flow(b, 300);
            flow(c, 0);
            c.gauge(Gauge.DEPTH, 2000);
        });
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.consequences()).contains("queue_depth:stage3", "back_pressure:stage1");
            assertThat(i.chain()).contains("stage3 queue_depth").endsWith(" \u2190 stage2 back_pressure");
        });
    }

    @Test
    void aConsequenceThatOutlivesItsRootCarriesTheSameIncidentOn() {
        final Synth.Probe[] line = line(2);
        final Synth.Probe a = line[0];
        final Synth.Probe b = line[1];
        refusing(30, line, a, b);
        assertThat(incidents()).singleElement().extracting(Incident::root).isEqualTo("back_pressure:stage2");
        // The constraint recovers; the first stage goes on refusing (its backlog): still the same incident.
        refusing(50, line, a);
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.key()).isEqualTo("incident:back_pressure:stage2");
            assertThat(i.root()).isEqualTo("back_pressure:stage1");
        });
        assertThat(analyzer.view().incidents()).filteredOn(i -> !i.active()).isEmpty();
    }

    @Test
    void twoPathsThatShareNothingAreTwoIncidentsEvenWhenTheyStartInTheSameTick() {
        final Synth.Probe pool = synth.probe("pool", PathKind.EXECUTOR);
        final Synth.Probe handoff = synth.probe("handoff", PathKind.QUEUE);
        final Synth.Probe sink = synth.probe("sink", PathKind.QUEUE);
        edge(Flows.SOURCE, pool);
        edge(Flows.SOURCE, handoff);
        edge(handoff, sink);
        pool.gauge(Gauge.POOL_SIZE, 2).gauge(Gauge.ACTIVE, 1);
        for (int i = 0; i < 60; i++) {
            pool.add(Slot.CALLS, 100).add(Slot.IN, 100).add(Slot.OUT, 100);
            flow(handoff, 0);
            flow(sink, 0);
            tick();
        }
        for (int i = 0; i < 30; i++) {
            pool.add(Slot.CALLS, 200).add(Slot.IN, 200).add(Slot.OUT, 100).gauge(Gauge.ACTIVE, 2);
            pool.gauge(Gauge.DEPTH, 100 + 100 * i);
            flow(handoff, 800);
            flow(sink, 0);
            tick();
        }
        final Finding saturated = finding(FindingKind.SATURATION, "pool");
        final Finding refused = finding(FindingKind.BACK_PRESSURE, "handoff");
        assertThat(saturated.root()).isNull();
        assertThat(refused.root()).isNull();
        assertThat(incidents()).extracting(Incident::root).contains(saturated.key(), refused.key());
        assertThat(incidents()).extracting(Incident::probe).doesNotHaveDuplicates();
        for (Finding f : analyzer.view().active()) {
            if (f.severity() != Severity.INFO) {
                assertThat(incidents())
                        .as("every finding above info belongs to exactly one incident: %s", f.key())
                        .filteredOn(i ->
                                i.root().equals(f.key()) || i.consequences().contains(f.key()))
                        .hasSize(1);
            }
        }
    }

    @Test
    void withoutEdgesTheFindingsFallBackToTheOrderOfDetection() {
        final Synth.Probe pool = synth.probe("pool", PathKind.EXECUTOR);
        final Synth.Probe handoff = synth.probe("handoff", PathKind.QUEUE);
        for (int i = 0; i < 60; i++) {
            pool.add(Slot.CALLS, 100).add(Slot.IN, 100).add(Slot.OUT, 100);
            flow(handoff, 0);
            tick();
        }
        for (int i = 0; i < 30; i++) {
            pool.add(Slot.CALLS, 100).add(Slot.IN, 100).add(Slot.OUT, 100).add(Slot.DROPPED, i < 5 ? 0 : 50);
            flow(handoff, 800);
            tick();
        }
        final Finding root = finding(FindingKind.BACK_PRESSURE, "handoff");
        assertThat(root.root()).isNull();
        assertThat(finding(FindingKind.BACK_PRESSURE, "pool").root()).isEqualTo(root.key());
        assertThat(incidents()).singleElement().extracting(Incident::root).isEqualTo(root.key());
    }

    @Test
    void aPoolAndItsWorkQueueAreOneStageAndTheirFindingsOneIncident() {
        final Synth.Probe pool = synth.probe("Dispatcher.pool", PathKind.EXECUTOR);
        final Synth.Probe work = synth.probe("Dispatcher.<init>:58", PathKind.QUEUE);
        edge(Flows.SOURCE, pool);
        edge(Flows.SOURCE, work);
        edge(work, pool); // a worker took a task from this queue, then ran it
        for (int i = 0; i < 60; i++) {
            pool.add(Slot.CALLS, 100).add(Slot.IN, 100).add(Slot.OUT, 100);
            flow(work, 0);
            tick();
        }
        for (int i = 0; i < 30; i++) {
            pool.add(Slot.CALLS, 100).add(Slot.IN, 60).add(Slot.OUT, 60).add(Slot.DROPPED, 40);
            flow(work, 400);
            tick();
        }
        assertThat(incidents()).singleElement().satisfies(i -> assertThat(i.consequences())
                .hasSize(1));
    }

    @Test
    void theModelKeepsArrivalServiceUtilisationAndLittlesLawPerStage() {
        final Synth.Probe q = synth.probe("q", PathKind.QUEUE);
        final Synth.Probe pool = synth.probe("p", PathKind.EXECUTOR);
        final Synth.Probe poolQueue = synth.probe("p.queue", PathKind.QUEUE);
        edge(Flows.SOURCE, q);
        edge(q, pool);
        pool.gauge(Gauge.POOL_SIZE, 4).gauge(Gauge.ACTIVE, 2);
        for (int i = 0; i < 20; i++) {
            // 1,000 offered per 100 ms tick: 10,000/s; 8,000/s taken, a quarter of the takes found it empty.
            q.add(Slot.IN, 1000).add(Slot.OUT, 800).add(Slot.WAITED, 200).gauge(Gauge.DEPTH, 500);
            pool.add(Slot.IN, 800).add(Slot.OUT, 800);
            poolQueue.add(Slot.IN, 800).add(Slot.OUT, 800);
            tick();
        }
        final Pipeline p = analyzer.view().pipeline();
        final Pipeline.Stage s = p.stages().stream()
                .filter(x -> x.probe().equals("q"))
                .findFirst()
                .orElseThrow();
        assertThat(s.arrivalRate()).isCloseTo(10_000, org.assertj.core.data.Offset.offset(1.0));
        assertThat(s.outRate()).isCloseTo(8_000, org.assertj.core.data.Offset.offset(1.0));
        assertThat(s.utilisation()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.serviceRate()).isCloseTo(8_000 / 0.75, org.assertj.core.data.Offset.offset(1.0));
        assertThat(s.queueingDelayMillis()).isCloseTo(50.0, org.assertj.core.data.Offset.offset(0.01));
        final Pipeline.Stage ps = p.stages().stream()
                .filter(x -> x.probe().equals("p"))
                .findFirst()
                .orElseThrow();
        assertThat(ps.utilisation()).isEqualTo(0.5);
        assertThat(p.edges()).extracting(Pipeline.Edge::from).containsExactlyInAnyOrder(null, "q");
        assertThat(p.edges())
                .filteredOn(e -> "q".equals(e.from()))
                .singleElement()
                .satisfies(e -> assertThat(e.rate()).isCloseTo(8_000, org.assertj.core.data.Offset.offset(1.0)));
    }

    @Test
    void anEdgesRateIsItsShareOfTheArrivalsByTheSamplesOfTheShortWindowOnly() {
        final Synth.Probe a = synth.probe("a", PathKind.QUEUE);
        final Synth.Probe b = synth.probe("b", PathKind.QUEUE);
        final Synth.Probe s = synth.probe("s", PathKind.QUEUE);
        edge(a, s);
        edge(b, s);
        final long[] fromA = edges.get(0);
        final int window = Synth.config().shortTicks();
        for (int i = 0; i < 2 * window; i++) {
            // 1,000 offered per 100 ms tick: 10,000/s into s; the edges sampled alike (3 each a tick).
            s.add(Slot.IN, 1000).add(Slot.OUT, 1000);
            tick();
        }
        assertThat(analyzer.view().pipeline().edges())
                .filteredOn(e -> "s".equals(e.to()))
                .allSatisfy(e -> assertThat(e.rate()).isCloseTo(5_000, org.assertj.core.data.Offset.offset(1.0)));
        for (int i = 0; i < window + 1; i++) {
            // Now a's edge is sampled 12 a tick against b's 3: a carries 4/5 of the arrivals. The equal ticks before
            // have left the window, so they count no more.
            fromA[2] += 9;
            s.add(Slot.IN, 1000).add(Slot.OUT, 1000);
            tick();
        }
        assertThat(analyzer.view().pipeline().edges())
                .filteredOn(e -> "s".equals(e.to()))
                .extracting(Pipeline.Edge::from, e -> Math.round(e.rate()))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a", 8_000L),
                        org.assertj.core.groups.Tuple.tuple("b", 2_000L));
    }

    /**
     * {@code n} ticks of the queues of a {@link #line}, those in {@code refusing} refusing 300 of 1,300 offers, the
     * others none.
     */
    private void refusing(int n, Synth.Probe[] line, Synth.Probe... refusing) {
        ticks(n, () -> {
            for (Synth.Probe s : line) {
                flow(s, List.of(refusing).contains(s) ? 300 : 0);
            }
        });
    }

    @Test
    void lockContentionSeenAfterTheFlowSymptomsItCausesTakesTheirIncidentOverAsItsRoot() {
        final Synth.Probe[] line = line(2);
        // The queue refuses first; the threads blocked on a monitor show a few ticks later, and the lock finding
        // needs its readings and its sustain time before it reaches warning, after the flow incident opened.
        refusing(3, line, line[1]);
        blocked = true;
        refusing(40, line, line[1]);
        assertCarriedOn("back_pressure:stage2", "lock_contention:jvm");
    }

    @Test
    void aStageSaturatedLongBeforeTheJvmFindingStaysAnIncidentOfItsOwn() {
        final Synth.Probe[] line = line(2);
        refusing(40, line, line[1]);
        blocked = true;
        refusing(40, line, line[1]);
        assertThat(incidents())
                .extracting(Incident::root)
                .containsExactlyInAnyOrder("back_pressure:stage2", "lock_contention:jvm");
    }

    @Test
    void cpuSaturationWithGcPressureIsAConsequenceOfTheCollector() {
        line(2);
        // The collector's threads take the cores: CPU saturation is seen before the pauses count as pressure.
        cpu = 0.97;
        ticks(3, () -> {});
        gc = true;
        ticks(40, () -> {});
        assertThat(finding(FindingKind.CPU_SATURATION, "jvm").severity()).isNotEqualTo(Severity.INFO);
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.root()).isEqualTo("gc_pressure:jvm");
            assertThat(i.consequences()).containsExactly("cpu_saturation:jvm");
        });
    }

    @Test
    void monitorsContendedUnderGcPressureAreAConsequenceOfTheCollectorEvenWhenSeenFirst() {
        line(2);
        blocked = true;
        ticks(15, () -> {});
        assertThat(incidents()).singleElement().extracting(Incident::root).isEqualTo("lock_contention:jvm");
        gc = true;
        ticks(30, () -> {});
        assertCarriedOn("lock_contention:jvm", "gc_pressure:jvm");
    }

    /**
     * One incident, opened by the finding {@code opener} and carried on by the deeper cause {@code root} found
     * later, with {@code opener} under it; none closed.
     */
    private void assertCarriedOn(String opener, String root) {
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.key()).isEqualTo("incident:" + opener);
            assertThat(i.root()).isEqualTo(root);
            assertThat(i.consequences()).contains(opener);
        });
        assertThat(analyzer.view().incidents()).filteredOn(i -> !i.active()).isEmpty();
    }

    @Test
    void cpuSaturationWhileAStagePushesBackIsAConsequenceOfThatStageWhicheverIsSeenFirst() {
        final Synth.Probe[] line = line(2);
        // A publisher spinning on refused offers saturates the CPU; its refusals are confirmed after the CPU's
        // readings, which opened an incident of their own first.
        cpu = 0.97;
        refusing(25, line);
        assertThat(incidents()).singleElement().extracting(Incident::root).isEqualTo("cpu_saturation:jvm");
        refusing(40, line, line[1]);
        assertCarriedOn("cpu_saturation:jvm", "back_pressure:stage2");
    }

    @Test
    void cpuSaturationThatNothingElseExplainsIsTheRootOfTheFindingsItCauses() {
        final Synth.Probe[] line = line(2);
        cpu = 0.97;
        ticks(40, () -> {
            for (Synth.Probe s : line) {
                flow(s, 0);
            }
            line[1].gauge(Gauge.DEPTH, 2000); // a queue deeper than its threshold, no stage pushing back
        });
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.root()).isEqualTo("cpu_saturation:jvm");
            assertThat(i.consequences()).contains("queue_depth:stage2");
        });
    }

    @Test
    void aQueueDrainedIntoAPoolIsUpstreamOfItAndNotItsWorkQueue() {
        final Synth.Probe in = synth.probe("ingress", PathKind.QUEUE);
        final Synth.Probe pool = synth.probe("Dispatcher.pool", PathKind.EXECUTOR);
        final Synth.Probe work = synth.probe("Dispatcher.pool.queue", PathKind.QUEUE);
        edge(Flows.SOURCE, in);
        edge(in, pool); // the batcher took from the ingress queue, then submitted to the pool
        edge(in, work); // ... which offered the task to its work queue on the batcher's thread
        edge(work, pool); // a worker took the task from the work queue, then ran it
        for (int i = 0; i < 20; i++) {
            flow(in, 0);
            flow(work, 0);
            pool.add(Slot.IN, 1000).add(Slot.OUT, 1000);
            tick();
        }
        assertThat(analyzer.view().pipeline().stages())
                .extracting(Pipeline.Stage::probe, Pipeline.Stage::stageOf)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("ingress", null),
                        org.assertj.core.groups.Tuple.tuple("Dispatcher.pool.queue", "Dispatcher.pool"));
    }

    @Test
    void aNettyChannelGroupsOutboundBuffersAreDownstreamOfTheStageThatBroadcasts() {
        final Synth.Probe a = synth.probe("stage1", PathKind.QUEUE);
        final Synth.Probe group = synth.probe("netty.ChannelGroup#writeAndFlush", PathKind.BROADCAST);
        final Synth.Probe outbound = synth.probe("netty.outbound", PathKind.IPC);
        edge(Flows.SOURCE, a);
        edge(a, group);
        for (int i = 0; i < 60; i++) {
            flow(a, 0);
            outbound.add(Slot.IN, 1000).add(Slot.OUT, 1000);
            tick();
        }
        // The stage before the wire pushes back first (order of detection would make it the root); the outbound
        // buffers' refusals start a few ticks later.
        for (int i = 0; i < 40; i++) {
            flow(a, 300);
            outbound.add(Slot.IN, 1000).add(Slot.OUT, 1000).add(Slot.DROPPED, i < 4 ? 0 : 300);
            tick();
        }
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.probe()).isEqualTo("netty.outbound");
            assertThat(i.consequences()).contains("back_pressure:stage1");
        });
    }

    @Test
    void aSlowPeerOfANettyChannelIsOneIncidentRootedAtTheChannelsOutboundBufferWithItsSocketUnderIt() {
        final Synth.Probe a = synth.probe("stage1", PathKind.QUEUE);
        final Synth.Probe group = synth.probe("netty.ChannelGroup#writeAndFlush", PathKind.BROADCAST);
        final Synth.Probe outbound = synth.probe("netty.outbound", PathKind.IPC);
        final Synth.Probe socket = synth.probe("net.tcp at /127.0.0.1:4000", PathKind.IPC);
        edge(Flows.SOURCE, a);
        edge(a, group);
        edge(Flows.SOURCE, socket); // the event loop's writes come from no stage's thread
        ticks(60, () -> {
            flow(a, 0);
            outbound.add(Slot.IN, 1000).add(Slot.OUT, 1000);
            socket.add(Slot.CALLS, 1000).add(Slot.PARTIAL, 30); // flow control: not back-pressure
        });
        assertThat(incidents()).isEmpty();
        // The peer stops keeping up: most writes come back partial first, then the channel turns unwritable.
        final int[] tick = {0};
        ticks(40, () -> {
            flow(a, 300);
            socket.add(Slot.CALLS, 100).add(Slot.PARTIAL, 95);
            outbound.add(Slot.IN, 1000).add(Slot.OUT, 100);
            if (tick[0]++ == 4) {
                outbound.add(Slot.UNWRITABLE, 1);
            }
        });
        assertThat(finding(FindingKind.BACK_PRESSURE, socket.name).root()).isEqualTo("back_pressure:netty.outbound");
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.root()).isEqualTo("back_pressure:netty.outbound");
            assertThat(i.consequences()).contains("back_pressure:" + socket.name, "back_pressure:stage1");
        });
    }
}
