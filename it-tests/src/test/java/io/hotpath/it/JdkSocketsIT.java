package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.JdkSocketsApp;
import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** JDK TCP, UNIX-domain, UDP and classic sockets: exact bytes, calls and connections against the app's own counts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdkSocketsIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void socketTrafficMatchesGroundTruth(Path jdk) throws Exception {
        final Path dump = Launch.workFile("sockets-dump.json");
        final Path scratch = Launch.workFile("sockets");
        // The agent exports OTLP/HTTP over TCP every 200 ms; the app idles at the end until two exports arrived:
        // the export's own connections must not show in the application's net.tcp figures, which stay exact.
        final Launch.Result r;
        final int exports;
        final Path go = Launch.workFile("sockets-go");
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            final Thread watcher = ExportChecks.goAfterExports(receiver, 2, go);
            r = Launch.on(jdk)
                    .prop("hotpath.dump.file", dump.toString())
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "200")
                    .testMain(JdkSocketsApp.class, List.of(), scratch.toString(), go.toString())
                    .run();
            watcher.interrupt();
            exports = receiver.received().metricsRequests().size();
        }
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(exports).as("OTLP exports during the run").isGreaterThanOrEqualTo(2);
        final Truth t = Truth.of(r.stdout());
        // The program's counted work starts once the advice is in place: the agent does not make it wait for that.
        assertThat(t.get("advice", "ready")).as(r.describe()).isEqualTo(1);
        final Dump d = Dump.read(dump);

        // TCP: the stream section plus the slow-reader section, which forces partial writes.
        final Dump.Probe tcpWrite = d.probe("tcp write", "net.tcp#write"::equals);
        assertThat(tcpWrite.kind()).isEqualTo("ipc");
        assertThat(tcpWrite.counter("bytes_out")).isEqualTo(t.get("tcp", "written") + t.get("slow", "written"));
        assertThat(tcpWrite.counter("calls")).isEqualTo(t.get("tcp", "writes") + t.get("slow", "writes"));
        assertThat(tcpWrite.counter("partial"))
                .isEqualTo(t.get("tcp", "writes") - 2_000 + t.get("slow", "partial"))
                .isPositive();
        assertThat(d.probe("tcp read", "net.tcp#read"::equals).counter("bytes_in"))
                .isEqualTo(t.get("tcp", "read") + t.get("slow", "read"));
        assertConnections(d, "net.tcp", 4);

        // Endpoint probes: named by the remote address for the client side, the listening address for the server.
        final String tcpPort = t.text("tcp", "endpoint");
        final Dump.Probe to = d.probe("tcp endpoint", n -> n.startsWith("net.tcp to ") && n.endsWith(tcpPort));
        assertThat(to.counter("bytes_out")).isEqualTo(t.get("tcp", "written"));
        assertThat(to.counter("opened")).isEqualTo(1);
        assertThat(to.counter("closed")).isEqualTo(1);
        final Dump.Probe at =
                d.probe("tcp listening endpoint", n -> n.startsWith("net.tcp at ") && n.endsWith(tcpPort));
        assertThat(at.counter("bytes_in")).isEqualTo(t.get("tcp", "read"));
        final String slowPort = ":" + t.get("slow", "port");
        assertThat(d.probe("slow endpoint", n -> n.startsWith("net.tcp to ") && n.endsWith(slowPort))
                        .counter("partial"))
                .isEqualTo(t.get("slow", "partial"));

        // UNIX-domain sockets: the same SocketChannelImpl, told apart by protocol family.
        assertStreamOperations(d, t, "uds", 2);
        final String udsPath = t.text("uds", "endpoint");
        assertThat(d.probe("uds endpoint", ("net.uds to " + udsPath)::equals).counter("bytes_out"))
                .isEqualTo(t.get("uds", "written"));

        // UDP: datagram channels and classic datagram sockets share the operation probes.
        final Dump.Probe send = d.probe("udp send", "net.udp#send"::equals);
        assertThat(send.counter("in")).isEqualTo(t.get("udp", "datagrams") + t.get("dgsocket", "datagrams"));
        assertThat(send.counter("bytes_out")).isEqualTo(t.get("udp", "sent") + t.get("dgsocket", "sent"));
        final Dump.Probe receive = d.probe("udp receive", "net.udp#receive"::equals);
        assertThat(receive.counter("out")).isEqualTo(t.get("udp", "datagrams") + t.get("dgsocket", "datagrams"));
        assertThat(receive.counter("bytes_in")).isEqualTo(t.get("udp", "received") + t.get("dgsocket", "received"));

        // Classic java.net.Socket streams (NioSocketImpl). Two were connected and accepted before the advice was in
        // place and used after: adopted on their first read or write, they count as opened and name their endpoints
        // as their connect and accept would have. Two more closed before the advice count nowhere.
        assertThat(t.get("early", "window"))
                .as("classic sockets made before the advice")
                .isEqualTo(1);
        final Dump.Probe socketWrite = d.probe("socket write", "net.socket#write"::equals);
        assertThat(socketWrite.counter("bytes_out")).isEqualTo(t.get("socket", "written") + t.get("early", "written"));
        assertThat(socketWrite.counter("calls")).isEqualTo(t.get("socket", "writes") + t.get("early", "writes"));
        assertThat(d.probe("socket read", "net.socket#read"::equals).counter("bytes_in"))
                .isEqualTo(t.get("socket", "read") + t.get("early", "read"));
        assertConnections(d, "net.socket", 4);
        for (String kind : List.of("socket", "early")) {
            final String port = ":" + t.get(kind, "port");
            final Dump.Probe opened =
                    d.probe(kind + " endpoint", n -> n.startsWith("net.socket to ") && n.endsWith(port));
            assertThat(opened.counter("bytes_out")).as(kind).isEqualTo(t.get(kind, "written"));
            assertThat(opened.counter("opened")).as(kind).isEqualTo(1);
            assertThat(opened.counter("closed")).as(kind).isEqualTo(1);
            final Dump.Probe accepted =
                    d.probe(kind + " listening endpoint", ("net.socket at port " + t.get(kind, "port"))::equals);
            assertThat(accepted.counter("bytes_in")).as(kind).isEqualTo(t.get(kind, "read"));
            assertThat(accepted.counter("opened")).as(kind).isEqualTo(1);
            assertThat(accepted.counter("closed")).as(kind).isEqualTo(1);
        }

        // UDP endpoints: the unconnected channel by its local address, the connected one by its peer (the same).
        // The same for classic datagram sockets.
        for (String kind : List.of("udp", "dgsocket")) {
            final String udpPort = ":" + t.get(kind, "port");
            final long half = t.get(kind, "datagrams") / 2;
            for (String prefix : List.of("net.udp at ", "net.udp to ")) {
                final String what = kind + " " + prefix;
                final Dump.Probe e = d.probe(what, n -> n.startsWith(prefix) && n.endsWith(udpPort));
                assertThat(e.counter("in")).as(what).isEqualTo(half);
                assertThat(e.counter("out")).as(what).isEqualTo(half);
                assertThat(e.counter("bytes_out")).as(what).isEqualTo(t.get(kind, "sent") / 2);
                assertThat(e.counter("bytes_in")).as(what).isEqualTo(t.get(kind, "received") / 2);
                assertThat(e.counter("opened")).as(what).isEqualTo(1);
                assertThat(e.counter("closed")).as(what).isEqualTo(1);
            }
        }

        assertThat(r.agentLines())
                .as(r.describe())
                .noneMatch(l -> l.contains("left class") || l.contains("skipped") || l.contains("ERROR"));
    }

    /**
     * The operation probes of a stream family ({@code net.uds}, {@code net.socket}) equal the section of the app's
     * counts with the same name: bytes and calls written, bytes read, {@code connections} opened and closed.
     */
    private static void assertStreamOperations(Dump d, Truth t, String family, long connections) {
        final Dump.Probe write = d.probe(family + " write", ("net." + family + "#write")::equals);
        assertThat(write.counter("bytes_out")).as(family).isEqualTo(t.get(family, "written"));
        assertThat(write.counter("calls")).as(family).isEqualTo(t.get(family, "writes"));
        assertThat(d.probe(family + " read", ("net." + family + "#read")::equals)
                        .counter("bytes_in"))
                .as(family)
                .isEqualTo(t.get(family, "read"));
        assertConnections(d, "net." + family, connections);
    }

    private static void assertConnections(Dump d, String prefix, long connections) {
        final Dump.Probe p = d.probe(prefix + " connections", (prefix + "#connections")::equals);
        assertThat(p.counter("opened")).as(prefix).isEqualTo(connections);
        assertThat(p.counter("closed")).as(prefix).isEqualTo(connections);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void sameResultsWithoutAgent(Path jdk) throws Exception {
        final Launch.Result r = Launch.on(jdk)
                .withoutAgent()
                .testMain(
                        JdkSocketsApp.class,
                        List.of(),
                        Launch.workFile("sockets-plain").toString())
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final Truth t = Truth.of(r.stdout());
        assertThat(t.get("tcp", "written")).isEqualTo(t.get("tcp", "read")).isEqualTo(600_000);
        assertThat(t.get("uds", "written")).isEqualTo(t.get("uds", "read")).isEqualTo(600_000);
        assertThat(t.get("udp", "sent")).isEqualTo(t.get("udp", "received")).isEqualTo(600_000);
        assertThat(t.get("dgsocket", "sent"))
                .isEqualTo(t.get("dgsocket", "received"))
                .isEqualTo(600_000);
        assertThat(t.get("socket", "written"))
                .isEqualTo(t.get("socket", "read"))
                .isEqualTo(600_000);
        assertThat(t.get("slow", "written")).isEqualTo(t.get("slow", "read"));
        assertThat(t.get("early", "written")).isEqualTo(t.get("early", "read")).isEqualTo(50_000);
    }
}
