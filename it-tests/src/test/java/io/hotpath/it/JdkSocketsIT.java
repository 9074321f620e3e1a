package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.JdkSocketsApp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** JDK TCP, UNIX-domain, UDP and classic sockets: exact bytes, calls and connections against the app's own counts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdkSocketsIT {
    static Stream<Path> jdks() {
        return Jdks.homes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void socketTrafficMatchesGroundTruth(Path jdk) throws Exception {
        final Path dump = Launch.workFile("sockets-dump.json");
        final Path scratch = Launch.workFile("sockets");
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.export.exporter", "none")
                .testMain(JdkSocketsApp.class, List.of(), scratch.toString())
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final Truth t = Truth.of(r.stdout());
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
        final Dump.Probe tcpConn = d.probe("tcp connections", "net.tcp#connections"::equals);
        assertThat(tcpConn.counter("opened")).isEqualTo(4);
        assertThat(tcpConn.counter("closed")).isEqualTo(4);

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
        final Dump.Probe udsWrite = d.probe("uds write", "net.uds#write"::equals);
        assertThat(udsWrite.counter("bytes_out")).isEqualTo(t.get("uds", "written"));
        assertThat(udsWrite.counter("calls")).isEqualTo(t.get("uds", "writes"));
        assertThat(d.probe("uds read", "net.uds#read"::equals).counter("bytes_in"))
                .isEqualTo(t.get("uds", "read"));
        final Dump.Probe udsConn = d.probe("uds connections", "net.uds#connections"::equals);
        assertThat(udsConn.counter("opened")).isEqualTo(2);
        assertThat(udsConn.counter("closed")).isEqualTo(2);
        final String udsPath = t.text("uds", "endpoint");
        assertThat(d.probe("uds endpoint", ("net.uds to " + udsPath)::equals).counter("bytes_out"))
                .isEqualTo(t.get("uds", "written"));

        // UDP.
        final Dump.Probe send = d.probe("udp send", "net.udp#send"::equals);
        assertThat(send.counter("in")).isEqualTo(t.get("udp", "datagrams"));
        assertThat(send.counter("bytes_out")).isEqualTo(t.get("udp", "sent"));
        final Dump.Probe receive = d.probe("udp receive", "net.udp#receive"::equals);
        assertThat(receive.counter("out")).isEqualTo(t.get("udp", "datagrams"));
        assertThat(receive.counter("bytes_in")).isEqualTo(t.get("udp", "received"));

        // Classic java.net.Socket streams (NioSocketImpl).
        final Dump.Probe sockWrite = d.probe("socket write", "net.socket#write"::equals);
        assertThat(sockWrite.counter("bytes_out")).isEqualTo(t.get("socket", "written"));
        assertThat(sockWrite.counter("calls")).isEqualTo(t.get("socket", "writes"));
        assertThat(d.probe("socket read", "net.socket#read"::equals).counter("bytes_in"))
                .isEqualTo(t.get("socket", "read"));
        final Dump.Probe sockConn = d.probe("socket connections", "net.socket#connections"::equals);
        assertThat(sockConn.counter("opened")).isEqualTo(2);
        assertThat(sockConn.counter("closed")).isEqualTo(2);

        assertThat(r.agentLines())
                .as(r.describe())
                .noneMatch(l -> l.contains("left class") || l.contains("skipped") || l.contains("ERROR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
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
        assertThat(t.get("socket", "written"))
                .isEqualTo(t.get("socket", "read"))
                .isEqualTo(600_000);
        assertThat(t.get("slow", "written")).isEqualTo(t.get("slow", "read"));
    }
}
