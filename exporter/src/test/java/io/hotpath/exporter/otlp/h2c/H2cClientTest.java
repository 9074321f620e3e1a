package io.hotpath.exporter.otlp.h2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The h2c client against a scripted peer: flow control, CONTINUATION, HPACK state, PING, RST_STREAM, GOAWAY. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class H2cClientTest {
    private static final ThreadFactory THREADS = r -> new Thread(r);
    private static final String[] NAMES = {":method", ":scheme", ":path", ":authority", "content-type", "te"};
    private static final String[] VALUES = {"POST", "http", "/svc/Export", "localhost", "application/grpc", "trailers"};

    private static H2cClient client(FakePeer peer, int maxResponse) {
        return H2cClient.unshared("127.0.0.1", peer.port(), TimeUnit.SECONDS.toNanos(2), maxResponse, THREADS);
    }

    private static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static H2cClient.Response send(H2cClient c, byte[] body) throws Exception {
        return c.exchange(NAMES, VALUES, NAMES.length, body, in(5000));
    }

    private static byte[] huffmanString(String s) {
        final byte[] coded = Huffman.encode(s.getBytes(StandardCharsets.ISO_8859_1));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        HpackEncoder.integer(out, 0x80, 7, coded.length);
        out.write(coded, 0, coded.length);
        return out.toByteArray();
    }

    @Test
    void largeBodyStaysWithinThePeersWindowsAndResponsesUseContinuationHuffmanAndTheDynamicTable() throws Exception {
        final byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        final CompletableFuture<byte[]> pingAck = new CompletableFuture<>();
        final AtomicInteger largestData = new AtomicInteger();
        try (FakePeer peer = new FakePeer((c, index) -> {
            final List<HpackDecoder.Field> headers = c.handshakeAndHeaders(
                    Frame.SETTINGS_INITIAL_WINDOW_SIZE, 1000, Frame.SETTINGS_MAX_FRAME_SIZE, 20_000);
            assertThat(headers).contains(new HpackDecoder.Field(":path", "/svc/Export"));
            c.frame(Frame.PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            for (int request = 0; request < 2; request++) {
                final int stream = 1 + 2 * request;
                if (request == 1) {
                    c.nextRequestHeaders();
                }
                // The client may only send what we granted: 1000 per stream (then what we hand back), 65535 in all.
                long streamCredit = 1000;
                long connectionCredit = request == 0 ? 65_535 : 65_535 - 0;
                final ByteArrayOutputStream got = new ByteArrayOutputStream();
                boolean end = false;
                while (!end && c.read()) {
                    if (c.type == Frame.PING && (c.flags & Frame.FLAG_ACK) != 0) {
                        pingAck.complete(c.payload);
                    }
                    if (c.type != Frame.DATA) {
                        continue;
                    }
                    assertThat(c.stream).isEqualTo(stream);
                    final int n = c.payload.length;
                    largestData.accumulateAndGet(n, Math::max);
                    assertThat((long) n).isLessThanOrEqualTo(streamCredit).isLessThanOrEqualTo(connectionCredit);
                    streamCredit -= n;
                    connectionCredit -= n;
                    got.write(c.payload);
                    end = (c.flags & Frame.FLAG_END_STREAM) != 0;
                    if (!end) {
                        // Hand credit back in uneven steps: the stream's a little at a time, the connection's in one
                        // go.
                        c.windowUpdate(stream, n);
                        streamCredit += n;
                        if (connectionCredit < 10_000) {
                            c.windowUpdate(0, 100_000);
                            connectionCredit += 100_000;
                        }
                    }
                }
                assertThat(got.toByteArray()).isEqualTo(request == 0 ? body : new byte[] {7});
                // Response headers in two frames: ":status: 200" indexed, then content-type literal with indexing.
                c.frame(Frame.HEADERS, 0, stream, new byte[] {(byte) 0x88});
                final ByteArrayOutputStream rest = new ByteArrayOutputStream();
                rest.write(0x5f);
                rest.write(huffmanString("application/grpc"));
                c.frame(Frame.CONTINUATION, Frame.FLAG_END_HEADERS, stream, rest.toByteArray());
                c.frame(Frame.DATA, 0, stream, new byte[] {0, 0, 0, 0, 2, 8, (byte) (request + 1)});
                final byte[] trailers;
                if (request == 0) {
                    final ByteArrayOutputStream t = new ByteArrayOutputStream();
                    t.write(0x40);
                    t.write(huffmanString("grpc-status"));
                    t.write(huffmanString("0"));
                    trailers = t.toByteArray();
                } else {
                    // Dynamic table, newest first: 62 "content-type: application/grpc" (this response's headers),
                    // 63 "grpc-status: 0" (the first response's trailers), 64 the first "content-type".
                    trailers = new byte[] {(byte) 0xbf};
                }
                c.frame(Frame.HEADERS, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, stream, trailers);
            }
            while (c.read()) {
                // until the client closes
            }
        })) {
            final H2cClient client = client(peer, 1 << 20);
            final H2cClient.Response first = send(client, body);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers()).containsEntry("content-type", List.of("application/grpc"));
            assertThat(first.body()).containsExactly(0, 0, 0, 0, 2, 8, 1);
            assertThat(first.trailers()).containsEntry("grpc-status", List.of("0"));
            final H2cClient.Response second = send(client, new byte[] {7});
            assertThat(second.body()).containsExactly(0, 0, 0, 0, 2, 8, 2);
            assertThat(second.trailers()).isEqualTo(Map.of("grpc-status", List.of("0")));
            assertThat(pingAck.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(largestData.get()).isEqualTo(1000);
            client.release();
        }
    }

    @Test
    void largeFramesFollowThePeersMaxFrameSize() throws Exception {
        final byte[] body = new byte[100_000];
        final AtomicInteger largest = new AtomicInteger();
        try (FakePeer peer = new FakePeer((c, index) -> {
            c.handshakeAndHeaders(Frame.SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20);
            c.windowUpdate(0, 1 << 20);
            while (c.read()) {
                if (c.type == Frame.DATA) {
                    largest.accumulateAndGet(c.payload.length, Math::max);
                    if ((c.flags & Frame.FLAG_END_STREAM) != 0) {
                        c.grpcOk(1, new byte[0]);
                    }
                }
            }
        })) {
            final H2cClient client = client(peer, 1 << 20);
            assertThat(send(client, body).trailers()).containsKey("grpc-status");
            assertThat(largest.get()).isEqualTo(Frame.DEFAULT_MAX_FRAME_SIZE);
            client.release();
        }
    }

    @Test
    void aResetStreamFailsThatCallOnlyAndTheConnectionIsReused() throws Exception {
        final AtomicInteger connections = new AtomicInteger();
        try (FakePeer peer = new FakePeer((c, index) -> {
            connections.incrementAndGet();
            c.handshakeAndHeaders();
            c.readUntil(Frame.DATA);
            c.rst(1, Frame.REFUSED_STREAM);
            c.nextRequestHeaders();
            c.readUntil(Frame.DATA);
            c.grpcOk(3, new byte[] {1});
            while (c.read()) {
                // until the client closes
            }
        })) {
            final H2cClient client = client(peer, 1 << 20);
            assertThatThrownBy(() -> send(client, new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("REFUSED_STREAM");
            assertThat(send(client, new byte[] {2}).trailers()).containsEntry("grpc-status", List.of("0"));
            assertThat(connections.get()).isEqualTo(1);
            client.release();
        }
    }

    @Test
    void goAwayBeforeTheRequestWasProcessedFailsItAndTheNextCallReconnects() throws Exception {
        final AtomicInteger connections = new AtomicInteger();
        try (FakePeer peer = new FakePeer((c, index) -> {
            connections.incrementAndGet();
            c.handshakeAndHeaders();
            if (index == 0) {
                c.goAway(0, Frame.NO_ERROR);
            } else {
                c.readUntil(Frame.DATA);
                c.grpcOk(1, new byte[0]);
            }
            while (c.read()) {
                // until the client closes
            }
        })) {
            final H2cClient client = client(peer, 1 << 20);
            assertThatThrownBy(() -> send(client, new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("GOAWAY");
            assertThat(send(client, new byte[] {1}).status()).isEqualTo(200);
            assertThat(connections.get()).isEqualTo(2);
            client.release();
        }
    }

    @Test
    void aLateResponseTimesOutAndCancelsTheStream() throws Exception {
        final CompletableFuture<Integer> reset = new CompletableFuture<>();
        try (FakePeer peer = new FakePeer((c, index) -> {
            c.handshakeAndHeaders();
            c.readUntil(Frame.DATA);
            c.grpcOk(1, new byte[0]);
            c.nextRequestHeaders();
            c.readUntil(Frame.RST_STREAM);
            reset.complete(Frame.getInt(c.payload, 0));
            while (c.read()) {
                // until the client closes
            }
        })) {
            final H2cClient client = client(peer, 1 << 20);
            // Connected first, so that the short deadline below is spent waiting for the response only.
            assertThat(send(client, new byte[] {1}).status()).isEqualTo(200);
            final long start = System.nanoTime();
            assertThatThrownBy(() -> client.exchange(NAMES, VALUES, NAMES.length, new byte[] {1}, in(300)))
                    .isInstanceOf(HttpTimeoutException.class)
                    .hasMessageContaining("timed out");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3000L);
            assertThat(reset.get(5, TimeUnit.SECONDS)).isEqualTo(Frame.CANCEL);
            client.release();
        }
    }

    @Test
    void anOversizedResponseIsRefused() throws Exception {
        try (FakePeer peer = new FakePeer((c, index) -> {
            c.handshakeAndHeaders();
            c.readUntil(Frame.DATA);
            c.grpcOk(1, new byte[200]);
            while (c.read()) {
                // until the client closes
            }
        })) {
            final H2cClient client = client(peer, 100);
            assertThatThrownBy(() -> send(client, new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("larger than 100 bytes");
            client.release();
        }
    }

    @Test
    void aFrameAboveOurMaximumEndsTheConnectionWithGoAway() throws Exception {
        final CompletableFuture<Integer> goAway = new CompletableFuture<>();
        try (FakePeer peer = new FakePeer((c, index) -> {
            c.handshakeAndHeaders();
            c.frame(Frame.DATA, 0, 1, new byte[Frame.DEFAULT_MAX_FRAME_SIZE + 1]);
            c.readUntil(Frame.GOAWAY);
            goAway.complete(Frame.getInt(c.payload, 4));
        })) {
            final H2cClient client = client(peer, 1 << 20);
            assertThatThrownBy(() -> send(client, new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("FRAME_SIZE_ERROR");
            assertThat(goAway.get(5, TimeUnit.SECONDS)).isEqualTo(Frame.FRAME_SIZE_ERROR);
            client.release();
        }
    }

    @Test
    void anHttp11ServerIsNamedAsSuch() throws Exception {
        try (FakePeer peer = new FakePeer((c, index) -> {
            c.in.readNBytes(Frame.PREFACE.length);
            c.out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            c.socket.close();
        })) {
            final H2cClient client = client(peer, 1 << 20);
            assertThatThrownBy(() -> send(client, new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("HTTP/1.x, not HTTP/2");
            client.release();
        }
    }

    @Test
    void nothingListeningIsAConnectException() throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final H2cClient client = H2cClient.unshared("127.0.0.1", port, TimeUnit.SECONDS.toNanos(2), 1000, THREADS);
        assertThatThrownBy(() -> send(client, new byte[] {1})).isInstanceOf(ConnectException.class);
        client.release();
    }
}
