package io.hotpath.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.exporter.Severity;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every probe detector fed synthetic snapshot sequences: noisy plateaus, step changes, single spikes. */
class DetectorsTest {
    private final Synth synth = new Synth();
    private final Analyzer analyzer = Analyzer.forSnapshotsOnly(Synth.config());
    private final Random random = new Random(7);

    /** A queue carrying {@code perTick} messages a tick, depth around 50, latency around 1 ms on a method. */
    private void steady(Synth.Probe queue, Synth.Probe method, int ticks) {
        for (int i = 0; i < ticks; i++) {
            final int n = 500 + random.nextInt(100);
            queue.add(Slot.IN, n).add(Slot.OUT, n).gauge(Gauge.DEPTH, 30 + random.nextInt(40));
            method.add(Slot.CALLS, 100);
            method.latency(800_000 + random.nextInt(400_000), 99);
            method.latency(1_500_000 + random.nextInt(500_000), 1);
            analyzer.onSnapshot(synth.tick());
        }
    }

    @Test
    void noisyPlateauIsNotAFinding() {
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        final Synth.Probe method = synth.probe("m", PathKind.METHOD);
        steady(queue, method, 1200);
        assertThat(analyzer.view().findings()).isEmpty();
        assertThat(analyzer.view().state()).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void singleSpikesAreNotFindings() {
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        final Synth.Probe method = synth.probe("m", PathKind.METHOD);
        steady(queue, method, 300);
        // One tick each: depth far past critical, a 2 s latency, a burst of drops and blocked producers.
        queue.add(Slot.IN, 6000).gauge(Gauge.DEPTH, 6000).add(Slot.DROPPED, 300).add(Slot.BLOCKED, 50);
        method.add(Slot.CALLS, 100).latency(2_000_000_000L, 100);
        analyzer.onSnapshot(synth.tick());
        queue.add(Slot.OUT, 6000);
        steady(queue, method, 100);
        assertThat(analyzer.view().findings()).isEmpty();
    }

    @Test
    void growingQueueIsSaturationWithinASecond() {
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        final Synth.Probe method = synth.probe("m", PathKind.METHOD);
        steady(queue, method, 300);
        final long onset = synth.epochMillis;
        long depth = 50;
        for (int i = 0; i < 30; i++) {
            depth += 200;
            queue.add(Slot.IN, 500).add(Slot.OUT, 300).gauge(Gauge.DEPTH, depth);
            analyzer.onSnapshot(synth.tick());
        }
        final Finding f = Synth.ofKind(analyzer.view(), FindingKind.SATURATION).get(0);
        assertThat(f.probe()).isEqualTo("q");
        assertThat(f.detectedMillis() - onset).isLessThanOrEqualTo(1000);
        assertThat(f.evidence()).containsKeys("in_per_s", "out_per_s", "depth_growth_per_s", "wait_s");
        assertThat(f.recommendation()).isNotEmpty();
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.QUEUE_DEPTH)).isNotEmpty();
        assertThat(analyzer.view().healthOf("q")).isLessThanOrEqualTo(HealthState.DEGRADED_MAX);
    }

    @Test
    void busyPoolWithWorkWaitingIsSaturation() {
        final Synth.Probe pool = synth.probe("pool", PathKind.EXECUTOR);
        pool.gauge(Gauge.POOL_SIZE, 4).gauge(Gauge.ACTIVE, 1);
        for (int i = 0; i < 50; i++) {
            pool.add(Slot.IN, 10).add(Slot.OUT, 10).add(Slot.CALLS, 10);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(analyzer.view().findings()).isEmpty();
        for (int i = 0; i < 10; i++) {
            pool.add(Slot.IN, 10).add(Slot.OUT, 8).add(Slot.CALLS, 10);
            pool.gauge(Gauge.ACTIVE, 4).gauge(Gauge.DEPTH, 5 + 2 * i);
            analyzer.onSnapshot(synth.tick());
        }
        final Finding f = Synth.ofKind(analyzer.view(), FindingKind.SATURATION).get(0);
        assertThat(f.probe()).isEqualTo("pool");
        assertThat(f.evidence().get("busy_share")).isEqualTo(1.0);
        assertThat(f.recommendation()).contains("pool size");
    }

    @Test
    void sustainedDropsAreBackPressureForEveryKind() {
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        final Synth.Probe socket = synth.probe("sock", PathKind.IPC);
        final Synth.Probe pool = synth.probe("pool", PathKind.EXECUTOR);
        for (int i = 0; i < 20; i++) {
            queue.add(Slot.IN, 1000).add(Slot.OUT, 1000).add(Slot.DROPPED, 100);
            socket.add(Slot.CALLS, 1000).add(Slot.PARTIAL, 600);
            pool.add(Slot.IN, 100).add(Slot.OUT, 100).add(Slot.DROPPED, 3);
            analyzer.onSnapshot(synth.tick());
        }
        final var found = Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE);
        assertThat(found).extracting(Finding::probe).containsExactlyInAnyOrder("q", "sock", "pool");
        assertThat(found)
                .filteredOn(f -> f.probe().equals("q"))
                .extracting(Finding::severity)
                .containsExactly(Severity.CRITICAL);
        assertThat(found)
                .filteredOn(f -> f.probe().equals("sock"))
                .extracting(Finding::severity)
                .containsExactly(Severity.WARNING);
    }

    @Test
    void aFewPartialWritesAreFlowControlAndMostWritesPartialAreBackPressure() {
        // 8% of a non-blocking writer's writes partial: small send buffers with a peer that keeps up (the figure of a
        // Netty server writing to loopback peers through 4 KiB buffers).
        final Synth.Probe flowControl = synth.probe("net.tcp at /127.0.0.1:1", PathKind.IPC);
        final Synth.Probe slowPeer = synth.probe("net.tcp to /127.0.0.1:2", PathKind.IPC);
        final Synth.Probe refusing = synth.probe("net.udp to /127.0.0.1:3", PathKind.IPC);
        for (int i = 0; i < 20; i++) {
            flowControl.add(Slot.CALLS, 400).add(Slot.PARTIAL, 32);
            slowPeer.add(Slot.CALLS, 100).add(Slot.PARTIAL, 95);
            // Refused sends keep the general thresholds: a datagram refused is lost.
            refusing.add(Slot.IN, 1000).add(Slot.DROPPED, 80);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE))
                .extracting(Finding::probe, Finding::severity)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(slowPeer.name, Severity.CRITICAL),
                        org.assertj.core.groups.Tuple.tuple(refusing.name, Severity.CRITICAL));
    }

    @Test
    void backPressureShareIsRefusedOverOffered() {
        // The figures: a queue refusing 54% of what is offered to it, a pool rejecting 26% of its tasks. The
        // share divides by accepted + refused; dividing by accepted alone showed 100% (capped) and 35%.
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        final Synth.Probe pool = synth.probe("pool", PathKind.EXECUTOR);
        for (int i = 0; i < 20; i++) {
            queue.add(Slot.IN, 460).add(Slot.OUT, 460).add(Slot.DROPPED, 540);
            pool.add(Slot.CALLS, 1000).add(Slot.IN, 740).add(Slot.OUT, 740).add(Slot.DROPPED, 260);
            analyzer.onSnapshot(synth.tick());
        }
        final var found = Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE);
        final Finding q =
                found.stream().filter(f -> f.probe().equals("q")).findFirst().orElseThrow();
        final Finding p =
                found.stream().filter(f -> f.probe().equals("pool")).findFirst().orElseThrow();
        assertThat(q.evidence().get("share")).isCloseTo(0.54, within(1e-9));
        assertThat(q.message()).startsWith("54.0% of offers to q pushed back");
        assertThat(q.evidence().get("offered_per_s")).isCloseTo(10_000.0, within(1e-6));
        assertThat(p.evidence().get("share")).isCloseTo(0.26, within(1e-9));
        assertThat(p.message()).startsWith("26.0% of offers to pool pushed back (rejected 2.60k/s)");
    }

    @Test
    void aPoolAndItsOwnWorkQueueGiveOneFindingForOneCause() {
        // The pool rejects what its full work queue refused: the same refusals, counted by both probes.
        final Synth.Probe pool = synth.probe("com.acme.Dispatcher.pool", PathKind.EXECUTOR);
        final Synth.Probe queue = synth.probe("com.acme.Dispatcher.pool.queue", PathKind.QUEUE);
        for (int i = 0; i < 20; i++) {
            pool.add(Slot.CALLS, 1000).add(Slot.IN, 600).add(Slot.DROPPED, 400).add(Slot.STARTED, 600);
            pool.add(Slot.OUT, 600)
                    .gauge(Gauge.DEPTH, 64)
                    .gauge(Gauge.ACTIVE, 2)
                    .gauge(Gauge.POOL_SIZE, 2);
            queue.add(Slot.IN, 600).add(Slot.OUT, 600).add(Slot.DROPPED, 400).gauge(Gauge.DEPTH, 64);
            analyzer.onSnapshot(synth.tick());
        }
        final var found = analyzer.view().findings();
        assertThat(found).extracting(Finding::probe).containsOnly("com.acme.Dispatcher.pool");
        final var pressure = Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE);
        assertThat(pressure).hasSize(1);
        assertThat(pressure.get(0).evidence()).containsEntry("work_queue_depth", 64.0);
        assertThat(pressure.get(0).evidence().get("work_queue_refused_per_s")).isCloseTo(4_000.0, within(1e-6));
        assertThat(pressure.get(0).message()).endsWith("; its work queue com.acme.Dispatcher.pool.queue holds 64");
        // What-if, M/M/c: 10,000/s offered, 6,000/s done by 2 busy threads (3,000/s each): 3 threads do 9,000/s and
        // still cannot keep up, so no p99 is estimated.
        final var e = pressure.get(0).evidence();
        assertThat(e.get("what_if.pool_size_from")).isEqualTo(2.0);
        assertThat(e.get("what_if.pool_size_to")).isEqualTo(3.0);
        assertThat(e.get("what_if.throughput_per_s_now")).isCloseTo(6_000.0, within(1e-6));
        assertThat(e.get("what_if.throughput_per_s")).isCloseTo(9_000.0, within(1e-6));
        assertThat(e).doesNotContainKey("what_if.p99_s");
    }

    @Test
    void callerRunsIsBackPressureOntoTheCallersNotRejection() {
        final Synth.Probe pool = synth.probe("pool", PathKind.EXECUTOR);
        for (int i = 0; i < 20; i++) {
            pool.add(Slot.CALLS, 1000).add(Slot.IN, 700).add(Slot.OUT, 700).add(Slot.CALLER_RAN, 300);
            analyzer.onSnapshot(synth.tick());
        }
        final Finding f =
                Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE).get(0);
        assertThat(f.probe()).isEqualTo("pool");
        assertThat(f.evidence().get("share")).isCloseTo(0.30, within(1e-9));
        assertThat(f.evidence().get("caller_ran_per_s")).isCloseTo(3_000.0, within(1e-6));
        assertThat(f.evidence().get("dropped_per_s")).isZero();
        assertThat(f.message())
                .contains("tasks ran on the submitting thread (30.0% of those offered to pool")
                .endsWith("the pool pushed back onto its callers")
                .doesNotContain("reject");
        assertThat(f.recommendation()).doesNotContain("rejected").contains("pool size");
    }

    @Test
    void aeronBackPressureNamesTheSlowestSubscriberOfTheStreamAndOfTheOperation() {
        Laggards.clear();
        try {
            final Synth.Probe offer = synth.probe("aeron.Publication#offer", PathKind.IPC);
            final Synth.Probe stream = synth.probe("aeron.publication aeron:ipc stream 7", PathKind.IPC);
            final Synth.Probe other = synth.probe("aeron.publication aeron:ipc stream 8", PathKind.IPC);
            final Synth.Probe socket = synth.probe("sock", PathKind.IPC);
            Laggards.aggregate("aeron.Publication#offer");
            for (int i = 0; i < 20; i++) {
                offer.add(Slot.DROPPED, 100);
                stream.add(Slot.DROPPED, 100);
                other.add(Slot.DROPPED, 100);
                socket.add(Slot.CALLS, 1000).add(Slot.PARTIAL, 700);
                final long now = System.nanoTime();
                Laggards.report(
                        stream.name,
                        new Laggards.Laggard(
                                "subscription 42 (aeron:ipc stream 7 session 3)", 65536, 0, "all", 2, now));
                Laggards.report(
                        other.name,
                        new Laggards.Laggard(
                                "subscription 43 (aeron:ipc stream 8 session 4)", 4096, 100, "all", 1, now));
                analyzer.onSnapshot(synth.tick());
            }
            final var found = Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE);
            assertThat(found)
                    .filteredOn(f -> f.probe().equals("aeron.Publication#offer"))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.message()).contains("slowest subscriber subscription 42 (", "65536 B behind");
                        assertThat(f.message()).contains("at its limit");
                        assertThat(f.recommendation()).startsWith("subscription 42 ");
                        assertThat(f.evidence()).containsEntry("lag_bytes", 65536.0);
                    });
            assertThat(found)
                    .filteredOn(f -> f.probe().equals(other.name))
                    .singleElement()
                    .satisfies(f -> assertThat(f.message())
                            .contains("slowest subscriber subscription 43 (")
                            .doesNotContain("at its limit"));
            // A probe no reader reports on names nobody.
            assertThat(found)
                    .filteredOn(f -> f.probe().equals("sock"))
                    .singleElement()
                    .satisfies(f -> assertThat(f.message()).doesNotContain("subscriber"));
        } finally {
            Laggards.clear();
        }
    }

    @Test
    void staleLaggardIsNotNamed() {
        Laggards.clear();
        try {
            Laggards.aggregate("op");
            Laggards.report(
                    "s",
                    new Laggards.Laggard(
                            "subscription 1", 10, 0, "all", 1, System.nanoTime() - Laggards.STALE_NANOS - 1));
            assertThat(Laggards.of("s")).isNull();
            assertThat(Laggards.of("op")).isNull();
            Laggards.report("s", new Laggards.Laggard("subscription 1", 10, 0, "all", 1, System.nanoTime()));
            assertThat(Laggards.of("op").subscriber()).isEqualTo("subscription 1");
            assertThat(Laggards.of("unrelated")).isNull();
        } finally {
            Laggards.clear();
        }
    }

    @Test
    void latencyStepIsAnAnomalyAndSpikeIsNot() {
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        final Synth.Probe method = synth.probe("m", PathKind.METHOD);
        steady(queue, method, 400);
        final long onset = synth.epochMillis;
        for (int i = 0; i < 40; i++) {
            queue.add(Slot.IN, 500).add(Slot.OUT, 500).gauge(Gauge.DEPTH, 50);
            method.add(Slot.CALLS, 100).latency(20_000_000 + random.nextInt(2_000_000), 100);
            analyzer.onSnapshot(synth.tick());
        }
        final var anomalies = Synth.ofKind(analyzer.view(), FindingKind.LATENCY_ANOMALY);
        assertThat(anomalies).hasSize(1);
        assertThat(anomalies.get(0).probe()).isEqualTo("m");
        assertThat(anomalies.get(0).detectedMillis() - onset).isLessThanOrEqualTo(1000);
        // Confirmed over the medium window too after four seconds: a warning.
        assertThat(anomalies.get(0).peakSeverity()).isEqualTo(Severity.WARNING);
        // 20 ms is below the 100 ms threshold.
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.LATENCY)).isEmpty();
    }

    @Test
    void latencyThresholds() {
        final Synth.Probe method = synth.probe("m", PathKind.METHOD);
        for (int i = 0; i < 20; i++) {
            method.add(Slot.CALLS, 10).latency(200_000_000L, 10);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.LATENCY))
                .extracting(Finding::severity)
                .containsExactly(Severity.WARNING);
        for (int i = 0; i < 20; i++) {
            method.add(Slot.CALLS, 10).latency(700_000_000L, 10);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.LATENCY))
                .extracting(Finding::severity)
                .containsExactly(Severity.CRITICAL);
    }

    @Test
    void errorRateThresholds() {
        final Synth.Probe method = synth.probe("m", PathKind.METHOD);
        for (int i = 0; i < 20; i++) {
            method.add(Slot.CALLS, 100).add(Slot.ERRORS, i % 2 == 0 ? 3 : 2);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.ERROR_RATE))
                .extracting(Finding::severity)
                .containsExactly(Severity.WARNING);
    }

    @Test
    void lowThroughputOnlyWhenTrafficIsExpected() {
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        for (int i = 0; i < 300; i++) {
            queue.add(Slot.IN, 100).add(Slot.OUT, 100);
            analyzer.onSnapshot(synth.tick());
        }
        // The application goes quiet: nothing arrives, nothing waits.
        for (int i = 0; i < 50; i++) {
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.THROUGHPUT)).isEmpty();
        for (int i = 0; i < 300; i++) {
            queue.add(Slot.IN, 100).add(Slot.OUT, 100);
            analyzer.onSnapshot(synth.tick());
        }
        // Work keeps arriving but almost nothing leaves.
        long depth = 0;
        for (int i = 0; i < 30; i++) {
            depth += 99;
            queue.add(Slot.IN, 100).add(Slot.OUT, 1).gauge(Gauge.DEPTH, depth);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.THROUGHPUT))
                .extracting(Finding::severity)
                .containsExactly(Severity.CRITICAL);
    }

    @Test
    void unwritableChannelIsBackPressureOnlyWhenItLasts() {
        final Synth.Probe outbound = synth.probe("netty.outbound", PathKind.IPC);
        // Bursts: a channel turns unwritable for one tick once a second, and writable again.
        for (int i = 0; i < 100; i++) {
            outbound.add(Slot.IN, 500).add(Slot.OUT, 500);
            if (i % 10 == 0) {
                outbound.add(Slot.UNWRITABLE, 1);
            } else if (i % 10 == 1) {
                outbound.hists[io.hotpath.bootstrap.Dist.WAIT].record(80_000_000L);
            }
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE)).isEmpty();

        // A slow peer: the channel turns unwritable and stays so; writes continue only on the other channels.
        outbound.add(Slot.UNWRITABLE, 1);
        int ticks = 0;
        while (Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE).isEmpty() && ticks < 50) {
            outbound.add(Slot.IN, 250).add(Slot.OUT, 250);
            analyzer.onSnapshot(synth.tick());
            ticks++;
        }
        assertThat(ticks).as("ticks to the finding").isBetween(4, 7);
        for (int i = 0; i < 15; i++) {
            outbound.add(Slot.IN, 250).add(Slot.OUT, 250);
            analyzer.onSnapshot(synth.tick());
        }
        final Finding f =
                Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE).get(0);
        assertThat(f.probe()).isEqualTo("netty.outbound");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("unwritable_channels", 1.0);

        // Writable again: resolved after resolve-after.
        outbound.hists[io.hotpath.bootstrap.Dist.WAIT].record(2_000_000_000L);
        for (int i = 0; i < 35; i++) {
            outbound.add(Slot.IN, 500).add(Slot.OUT, 500);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(analyzer.view().active()).isEmpty();
    }

    @Test
    void unwritableEpisodeThatNeverEndsIsDroppedAfterTheLongWindow() {
        final Synth.Probe outbound = synth.probe("netty.outbound", PathKind.IPC);
        outbound.add(Slot.UNWRITABLE, 1); // e.g. a channel closed while unwritable: no setWritable follows
        for (int i = 0; i < 200; i++) {
            outbound.add(Slot.IN, 500).add(Slot.OUT, 500);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.BACK_PRESSURE)).isNotEmpty();
        for (int i = 0; i < 200; i++) {
            outbound.add(Slot.IN, 500).add(Slot.OUT, 500);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(analyzer.view().active()).isEmpty();
        // A new episode afterwards is seen again.
        outbound.add(Slot.UNWRITABLE, 1);
        for (int i = 0; i < 10; i++) {
            outbound.add(Slot.IN, 500).add(Slot.OUT, 500);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(analyzer.view().active()).extracting(Finding::kind).containsExactly(FindingKind.BACK_PRESSURE);
    }

    @Test
    void findingResolvesAfterTheConditionStops() {
        final Synth.Probe queue = synth.probe("q", PathKind.QUEUE);
        for (int i = 0; i < 20; i++) {
            queue.add(Slot.IN, 1000).add(Slot.OUT, 1000).add(Slot.DROPPED, 100);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(analyzer.view().active()).isNotEmpty();
        for (int i = 0; i < 45; i++) {
            queue.add(Slot.IN, 1000).add(Slot.OUT, 1000);
            analyzer.onSnapshot(synth.tick());
        }
        assertThat(analyzer.view().active()).isEmpty();
        assertThat(analyzer.view().findings())
                .allSatisfy(f -> assertThat(f.resolvedMillis()).isPositive());
        assertThat(analyzer.view().health()).isEqualTo(1.0);
    }

    @Test
    void upstreamStagesAreLinkedToTheStageThatSaturatedFirst() {
        final Synth.Probe ingress = synth.probe("ingress", PathKind.QUEUE);
        final Synth.Probe subscriber = synth.probe("subscriber", PathKind.QUEUE);
        for (int i = 0; i < 100; i++) {
            ingress.add(Slot.IN, 500).add(Slot.OUT, 500).gauge(Gauge.DEPTH, 10);
            subscriber.add(Slot.IN, 500).add(Slot.OUT, 500).gauge(Gauge.DEPTH, 10);
            analyzer.onSnapshot(synth.tick());
        }
        long subscriberDepth = 10;
        long ingressDepth = 10;
        for (int i = 0; i < 40; i++) {
            subscriberDepth = Math.min(1000, subscriberDepth + 200);
            final boolean full = subscriberDepth >= 1000;
            subscriber.add(Slot.IN, full ? 100 : 500).add(Slot.OUT, 100).gauge(Gauge.DEPTH, subscriberDepth);
            if (full) {
                subscriber.add(Slot.BLOCKED, 100);
                ingressDepth += 400;
                ingress.add(Slot.IN, 500).add(Slot.OUT, 100).gauge(Gauge.DEPTH, ingressDepth);
            } else {
                ingress.add(Slot.IN, 500).add(Slot.OUT, 500);
            }
            analyzer.onSnapshot(synth.tick());
        }
        final Finding root = analyzer.view().active().stream()
                .filter(f -> f.kind() == FindingKind.SATURATION && f.probe().equals("subscriber"))
                .findFirst()
                .orElseThrow();
        assertThat(root.root()).isNull();
        assertThat(root.linked()).contains("saturation:ingress");
        assertThat(analyzer.view().active())
                .filteredOn(f -> f.probe().equals("ingress") && f.severity() != Severity.INFO)
                .allSatisfy(f -> assertThat(f.root()).isEqualTo(root.key()));
    }
}
