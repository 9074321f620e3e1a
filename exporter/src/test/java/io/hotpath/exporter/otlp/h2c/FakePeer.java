package io.hotpath.exporter.otlp.h2c;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP/2 server for tests: accepts connections on loopback and runs a script on each, with helpers to read
 * and write raw frames. Failures inside a script are kept and rethrown by {@link #close()}.
 */
final class FakePeer implements AutoCloseable {
    interface Script {
        void run(Conn c, int index) throws Exception;
    }

    /** One accepted connection. */
    static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final HpackDecoder decoder = new HpackDecoder(4096);
        int type;
        int flags;
        int stream;
        byte[] payload;

        Conn(Socket socket) throws IOException {
            // Small frames each way, one at a time: without this, Nagle and delayed ACKs cost 40 ms per round trip.
            socket.setTcpNoDelay(true);
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void expectPreface() throws IOException {
            final byte[] p = in.readNBytes(Frame.PREFACE.length);
            if (!Arrays.equals(p, Frame.PREFACE)) {
                throw new AssertionError("bad preface " + new String(p, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }

        /** Reads one frame into type/flags/stream/payload; false at end of stream. */
        boolean read() throws IOException {
            final byte[] h = in.readNBytes(9);
            if (h.length < 9) {
                return false;
            }
            final int length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
            type = h[3] & 0xff;
            flags = h[4] & 0xff;
            stream = Frame.getInt(h, 5) & 0x7fffffff;
            payload = in.readNBytes(length);
            return payload.length == length;
        }

        /** Reads frames until one of {@code wanted} type arrives, skipping SETTINGS ACK and WINDOW_UPDATE. */
        void readUntil(int wanted) throws IOException {
            while (read()) {
                if (type == wanted) {
                    return;
                }
            }
            throw new AssertionError("connection ended before frame type " + wanted);
        }

        void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            final byte[] h = new byte[9];
            h[0] = (byte) (payload.length >>> 16);
            h[1] = (byte) (payload.length >>> 8);
            h[2] = (byte) payload.length;
            h[3] = (byte) type;
            h[4] = (byte) flags;
            Frame.putInt(h, 5, stream);
            out.write(h);
            out.write(payload);
            out.flush();
        }

        void settings(int... idsAndValues) throws IOException {
            final byte[] p = new byte[idsAndValues.length * 3];
            for (int i = 0, o = 0; i < idsAndValues.length; i += 2, o += 6) {
                p[o] = (byte) (idsAndValues[i] >>> 8);
                p[o + 1] = (byte) idsAndValues[i];
                Frame.putInt(p, o + 2, idsAndValues[i + 1]);
            }
            frame(Frame.SETTINGS, 0, 0, p);
        }

        void windowUpdate(int stream, int increment) throws IOException {
            final byte[] p = new byte[4];
            Frame.putInt(p, 0, increment);
            frame(Frame.WINDOW_UPDATE, 0, stream, p);
        }

        void rst(int stream, int code) throws IOException {
            final byte[] p = new byte[4];
            Frame.putInt(p, 0, code);
            frame(Frame.RST_STREAM, 0, stream, p);
        }

        void goAway(int last, int code) throws IOException {
            final byte[] p = new byte[8];
            Frame.putInt(p, 0, last);
            Frame.putInt(p, 4, code);
            frame(Frame.GOAWAY, 0, 0, p);
        }

        /** Preface, empty SETTINGS from us, and the client's HEADERS (decoded) of its next request. */
        List<HpackDecoder.Field> handshakeAndHeaders(int... settings) throws IOException {
            expectPreface();
            settings(settings);
            return nextRequestHeaders();
        }

        List<HpackDecoder.Field> nextRequestHeaders() throws IOException {
            final ByteArrayOutputStream block = new ByteArrayOutputStream();
            readUntil(Frame.HEADERS);
            block.write(payload);
            while ((flags & Frame.FLAG_END_HEADERS) == 0) {
                read();
                if (type != Frame.CONTINUATION) {
                    throw new AssertionError("expected CONTINUATION, got " + type);
                }
                block.write(payload);
            }
            final byte[] b = block.toByteArray();
            return decoder.decode(b, 0, b.length);
        }

        /** A literal-without-indexing block (what the client's encoder makes), for simple responses. */
        static byte[] block(String... namesAndValues) {
            final HpackEncoder e = new HpackEncoder();
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final String[] names = new String[namesAndValues.length / 2];
            final String[] values = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = namesAndValues[2 * i];
                values[i] = namesAndValues[2 * i + 1];
            }
            e.encode(names, values, names.length, out);
            return out.toByteArray();
        }

        /** A complete gRPC response: 200 headers, one message, grpc-status trailers. */
        void grpcOk(int stream, byte[] message) throws IOException {
            frame(
                    Frame.HEADERS,
                    Frame.FLAG_END_HEADERS,
                    stream,
                    block(":status", "200", "content-type", "application/grpc"));
            final byte[] data = new byte[5 + message.length];
            Frame.putInt(data, 1, message.length);
            System.arraycopy(message, 0, data, 5, message.length);
            frame(Frame.DATA, 0, stream, data);
            frame(Frame.HEADERS, Frame.FLAG_END_HEADERS | Frame.FLAG_END_STREAM, stream, block("grpc-status", "0"));
        }
    }

    final ServerSocket server;
    private final Thread acceptor;
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FakePeer(Script script) throws IOException {
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(() -> {
            for (int i = 0; ; i++) {
                final Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                final int index = i;
                final Thread t = new Thread(() -> {
                    try {
                        script.run(new Conn(s), index);
                    } catch (Throwable e) {
                        if (!server.isClosed()) {
                            failures.add(e);
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        if (!failures.isEmpty()) {
            final AssertionError e = new AssertionError("fake peer failed: " + failures.get(0), failures.get(0));
            throw e;
        }
    }
}
