package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.NettyApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty 4.1 and 4.2 ChannelGroup broadcast over TCP: exact messages and bytes, failed recipients and completion times,
 * pending outbound bytes and event-loop pending tasks; slow readers make channels unwritable.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NettyIT {
    static final int CLIENTS = 3;
    static final int MESSAGES = 2_000;
    static final int SIZE = 256;

    static Stream<Arguments> cases() {
        return Jdks.homes().stream().flatMap(jdk -> Stream.of(Arguments.of(jdk, "4.1"), Arguments.of(jdk, "4.2")));
    }

    /** The Netty jars of one line: 4.2 is the reference application's, 4.1 is copied to app-libs/netty41. */
    static List<Path> netty(String line) throws IOException {
        final Path dir = line.equals("4.1") ? Launch.APP_LIBS.resolve("netty41") : Launch.APP_JAR.resolveSibling("lib");
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> jars = files.filter(p -> p.getFileName().toString().startsWith("netty-"))
                    .sorted()
                    .toList();
            assertThat(jars).as("Netty " + line + " jars in " + dir).isNotEmpty();
            return jars;
        }
    }

    @ParameterizedTest(name = "{0} netty {1}")
    @MethodSource("cases")
    void broadcastCountsMatchGroundTruth(Path jdk, String line) throws Exception {
        final Path dump = Launch.workFile("netty-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                // Time every call, so that every broadcast's completion is timed too.
                .prop("hotpath.sampling.rate", "1000000")
                // Netty counts each pending message with a per-entry overhead (96 bytes by default); without it the
                // pending bytes are the payload alone.
                .prop("io.netty.transport.outboundBufferEntrySizeOverhead", "0")
                .testMain(NettyApp.class, netty(line), "" + CLIENTS, "" + MESSAGES, "" + SIZE, "fast")
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final Truth t = Truth.of(r.stdout());
        // The counted work starts once the advice is in place; the server channel and its event loop, made before,
        // count in the gauges below only if the agent adopted them.
        assertThat(t.get("advice", "ready")).as(r.describe()).isEqualTo(1);
        final long bytes = (long) CLIENTS * MESSAGES * SIZE;
        final long broadcasts = MESSAGES + NettyApp.FAILING;
        assertThat(t.get("netty", "bytes")).isEqualTo(bytes);
        assertThat(t.get("netty", "broadcasts")).isEqualTo(broadcasts);
        final Dump d = Dump.read(dump);
        final Dump.Probe group = d.probe("group", "netty.ChannelGroup#writeAndFlush"::equals);
        assertThat(group.kind()).isEqualTo("broadcast");
        assertThat(group.counter("calls")).isEqualTo(broadcasts);
        assertThat(group.counter("batches")).isEqualTo(broadcasts);
        assertThat(group.counter("batch_items")).isEqualTo(t.get("netty", "recipients"));
        // Every recipient of the refused broadcasts failed; every broadcast's completion was timed.
        assertThat(group.counter("failed"))
                .isEqualTo(t.get("netty", "failed"))
                .isEqualTo((long) CLIENTS * NettyApp.FAILING);
        assertThat(group.dist("wait", "count")).isEqualTo(broadcasts);
        final Dump.Probe outbound = d.probe("outbound", "netty.outbound"::equals);
        // The unflushed writes left behind are queued (in, bytes_out) but never written (out).
        final long pendingMessages = (long) CLIENTS * NettyApp.PENDING;
        assertThat(outbound.counter("in")).isEqualTo((long) CLIENTS * MESSAGES + pendingMessages);
        assertThat(outbound.counter("out")).isEqualTo((long) CLIENTS * MESSAGES);
        assertThat(outbound.counter("bytes_out")).isEqualTo(bytes + pendingMessages * NettyApp.PENDING_SIZE);
        assertThat(outbound.gauge("pending_bytes"))
                .isEqualTo(t.get("netty", "pending_bytes"))
                .isEqualTo(pendingMessages * NettyApp.PENDING_SIZE);
        // Live channels: the server's, its CLIENTS children and the CLIENTS clients.
        assertThat(outbound.gauge("instances")).isEqualTo(1L + 2L * CLIENTS);
        final Dump.Probe loops = d.probe("event loops", "netty.event-loop"::equals);
        assertThat(loops.kind()).isEqualTo("queue");
        assertThat(loops.gauge("depth")).isEqualTo(t.get("netty", "pending_tasks"));
        // boss (1), workers (2) and the stalled loop (1): every loop whose thread started.
        assertThat(loops.gauge("instances")).isEqualTo(4L);
        assertThat(outbound.counter("batches")).isGreaterThanOrEqualTo(MESSAGES);
        // Netty's NIO transport writes through the JDK's SocketChannel: the two layers agree.
        assertThat(d.probe("tcp write", "net.tcp#write"::equals).counter("bytes_out"))
                .isEqualTo(bytes);
        assertThat(d.probe("tcp read", "net.tcp#read"::equals).counter("bytes_in"))
                .isEqualTo(bytes);
        assertThat(r.agentLines())
                .as(r.describe())
                .noneMatch(l -> l.contains("left class") || l.contains("skipped") || l.contains("ERROR"));

        final Launch.Result plain = Launch.on(jdk)
                .withoutAgent()
                .prop("io.netty.transport.outboundBufferEntrySizeOverhead", "0")
                .testMain(NettyApp.class, netty(line), "" + CLIENTS, "" + MESSAGES, "" + SIZE, "fast")
                .run();
        assertThat(plain.exitCode()).as(plain.describe()).isZero();
        // The same figures without the agent, except how often a channel turned unwritable: that depends on how fast
        // the event loops drained the burst, and differs between any two runs, with or without an agent.
        assertThat(withoutUnwritable(Truth.of(plain.stdout()).all().get("netty")))
                .isEqualTo(withoutUnwritable(t.all().get("netty")))
                .containsKeys("broadcasts", "bytes", "failed", "pending_bytes", "pending_tasks", "recipients");
    }

    private static Map<String, String> withoutUnwritable(Map<String, String> truth) {
        final Map<String, String> rest = new HashMap<>(truth);
        rest.remove("unwritable_seen");
        return rest;
    }

    @ParameterizedTest(name = "{0} netty {1}")
    @MethodSource("cases")
    void slowReadersMakeChannelsUnwritable(Path jdk, String line) throws Exception {
        final Path dump = Launch.workFile("netty-slow-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .testMain(NettyApp.class, netty(line), "2", "2000", "" + SIZE, "slow")
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final Truth t = Truth.of(r.stdout());
        final Dump.Probe outbound = Dump.read(dump).probe("outbound", "netty.outbound"::equals);
        assertThat(outbound.counter("bytes_out")).isEqualTo(t.get("netty", "bytes"));
        assertThat(outbound.counter("unwritable"))
                .isPositive()
                .isGreaterThanOrEqualTo(t.get("netty", "unwritable_seen"));
        // Every episode ended (all was delivered), so each has a duration.
        assertThat(outbound.dist("wait", "count")).isEqualTo(outbound.counter("unwritable"));
        assertThat(Dump.read(dump).probe("tcp write", "net.tcp#write"::equals).counter("partial"))
                .isPositive();
    }
}
