package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference application with its wire subscribers (--transport all: Netty ChannelGroup broadcast over TCP and
 * UNIX-domain sockets, an Aeron IPC stage) and slow wire consumers: the agent's socket, Netty and Aeron probes equal
 * the application's own wire counts, and the slow paths show up as unwritable channels and back-pressured offers.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReferenceWireIT {
    static final List<String> ARGS = List.of(
            "--transport", "all", "--duration", "2s", "--quiet", "--slow-wire-us", "100", "--slow-aeron-us", "100");

    @SuppressWarnings("unchecked")
    static Map<String, Object> subscriber(GroundTruth truth, String name) {
        return ((List<Map<String, Object>>) truth.json().get("subscribers"))
                .stream()
                        .filter(s -> name.equals(s.get("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no subscriber " + name + " in " + truth.json()));
    }

    static long wire(GroundTruth truth, String subscriber, String key) {
        return ((Number) subscriber(truth, subscriber).get(key)).longValue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void wireProbesEqualGroundTruth(Path jdk) throws Exception {
        final Path dump = Launch.workFile("wire-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .timeout(java.time.Duration.ofSeconds(60))
                .referenceApp(ARGS.toArray(new String[0]))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final GroundTruth t = GroundTruth.of(r);
        assertThat(t.invariantsOk()).as(r.describe()).isTrue();
        final Dump d = Dump.read(dump);

        final Dump.Probe group = d.probe("group", "netty.ChannelGroup#writeAndFlush"::equals);
        assertThat(group.counter("calls"))
                .isEqualTo(wire(t, "tcp-broadcast", "delivered") + wire(t, "uds-broadcast", "delivered"));
        assertThat(group.counter("batch_items"))
                .isEqualTo(wire(t, "tcp-broadcast", "framesWritten") + wire(t, "uds-broadcast", "framesWritten"));
        final Dump.Probe outbound = d.probe("outbound", "netty.outbound"::equals);
        assertThat(outbound.counter("in"))
                .isEqualTo(wire(t, "tcp-broadcast", "framesWritten") + wire(t, "uds-broadcast", "framesWritten"));
        assertThat(outbound.counter("bytes_out"))
                .isEqualTo(wire(t, "tcp-broadcast", "bytesWritten") + wire(t, "uds-broadcast", "bytesWritten"));
        // The slow first client keeps its server channel over the high-water mark now and then.
        assertThat(outbound.counter("unwritable")).isPositive();
        assertThat(outbound.dist("wait", "count")).isPositive();

        assertThat(d.probe("tcp write", "net.tcp#write"::equals).counter("bytes_out"))
                .isEqualTo(wire(t, "tcp-broadcast", "bytesWritten"));
        assertThat(d.probe("tcp read", "net.tcp#read"::equals).counter("bytes_in"))
                .isEqualTo(wire(t, "tcp-broadcast", "bytesRead"));
        assertThat(d.probe("uds write", "net.uds#write"::equals).counter("bytes_out"))
                .isEqualTo(wire(t, "uds-broadcast", "bytesWritten"));
        assertThat(d.probe("uds read", "net.uds#read"::equals).counter("bytes_in"))
                .isEqualTo(wire(t, "uds-broadcast", "bytesRead"));

        final Dump.Probe offer = d.probe("offer", "aeron.Publication#offer"::equals);
        // Successful offers are Aeron's to count: the stream's bytes are its position, every frame with its 32-byte
        // header (and alignment, and padding at the end of each term) on top of the payload.
        assertThat(offer.counter("in")).isZero();
        assertThat(d.probe("aeron stream", n -> n.startsWith("aeron.publication aeron:ipc?term-length=64k stream"))
                        .counter("bytes_out"))
                .isGreaterThanOrEqualTo(
                        wire(t, "aeron-stage", "bytesOffered") + 32 * wire(t, "aeron-stage", "offersOk"));
        assertThat(offer.counter("back_pressured"))
                .isEqualTo(wire(t, "aeron-stage", "offersBackPressured"))
                .isPositive();
        assertThat(offer.counter("admin_action")).isEqualTo(wire(t, "aeron-stage", "offersAdminAction"));
        assertThat(offer.counter("not_connected")).isEqualTo(wire(t, "aeron-stage", "offersNotConnected"));
        assertThat(d.probe("poll", "aeron.Subscription#poll"::equals).counter("out"))
                .isEqualTo(wire(t, "aeron-stage", "fragmentsPolled"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void wireTransportsRunWithoutAgent(Path jdk) throws Exception {
        final Launch.Result r = Launch.on(jdk)
                .withoutAgent()
                .timeout(java.time.Duration.ofSeconds(60))
                .referenceApp(ARGS.toArray(new String[0]))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final GroundTruth t = GroundTruth.of(r);
        assertThat(t.invariantsOk()).isTrue();
        for (String s : List.of("tcp-broadcast", "uds-broadcast")) {
            assertThat(wire(t, s, "bytesRead"))
                    .isEqualTo(wire(t, s, "bytesWritten"))
                    .isPositive();
        }
        assertThat(wire(t, "aeron-stage", "bytesPolled")).isEqualTo(wire(t, "aeron-stage", "bytesOffered"));
    }
}
