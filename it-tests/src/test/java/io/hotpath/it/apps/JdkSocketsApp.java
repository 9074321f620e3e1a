package io.hotpath.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Moves known byte counts over JDK TCP, UNIX-domain and UDP channels and classic sockets, on loopback only, and prints
 * its own counts as {@code TRUTH <transport> key=value ...} lines, once the agent's socket advice is in place
 * ({@code TRUTH advice ready=1}; 0 if it was not within a minute). Argument: a scratch directory for the UNIX-domain
 * socket file; optionally, a file to wait for at the end, idle (so the agent's periodic exports run first).
 */
public final class JdkSocketsApp {
    static final int MESSAGES = 2_000;
    static final int SIZE = 300;

    private JdkSocketsApp() {}

    public static void main(String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        // The agent builds its socket advice when a program first uses a socket, and never makes it wait for that:
        // calls made before the advice is in place are not counted. Use a socket once, then wait until the agent's
        // advice threads are done, so that every call counted below is made under the advice.
        SocketChannel.open().close();
        final EarlySockets early = new EarlySockets();
        final boolean ready = AdviceThreads.awaitNone(TimeUnit.SECONDS.toNanos(60));
        System.out.println("TRUTH advice ready=" + (ready ? 1 : 0));
        final ExecutorService pool = Executors.newCachedThreadPool();
        try {
            early.run();
            stream(
                    "tcp",
                    StandardProtocolFamily.INET,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    pool);
            final Path file = dir.resolve("uds-" + ProcessHandle.current().pid() + ".sock");
            Files.deleteIfExists(file);
            stream("uds", StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(file), pool);
            Files.deleteIfExists(file);
            datagrams();
            datagramSockets();
            classic(pool);
            partialWrites(pool);
        } finally {
            pool.shutdownNow();
        }
        if (args.length > 1) {
            // Stay idle until the test has seen the agent's OTLP exports arrive (it creates this file), so that the
            // export's own connections happen before the exit dump.
            final Path go = Path.of(args[1]);
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(go) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
    }

    /**
     * Classic sockets connected and accepted while the advice is still being built (the socket opened above started
     * the build): one pair used once the advice is in place, which the agent adopts on its first read or write, and one
     * pair closed before, which it counts nowhere. Prints {@code TRUTH early written=N writes=N read=N port=N
     * window=<1 if the pairs were made while the advice thread was still at work>}.
     */
    private static final class EarlySockets {
        static final int MESSAGES = 500;
        static final int SIZE = 100;

        private final ServerSocket server;
        private final Socket client;
        private final Socket accepted;
        private final boolean window;

        EarlySockets() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            accepted = server.accept();
            // Used and closed before the advice is in place: counted nowhere.
            try (Socket gone = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    Socket goneAccepted = server.accept()) {
                gone.getOutputStream().write(new byte[SIZE]);
                goneAccepted.getInputStream().readNBytes(SIZE);
            }
            window = AdviceThreads.alive();
        }

        void run() throws IOException {
            final byte[] payload = new byte[SIZE];
            final byte[] buf = new byte[SIZE * 4];
            long written = 0;
            long read = 0;
            final int port;
            try (ServerSocket listening = server;
                    Socket out = client;
                    Socket in = accepted) {
                port = listening.getLocalPort();
                for (int i = 0; i < MESSAGES; i++) {
                    out.getOutputStream().write(payload);
                    written += SIZE;
                    while (read < written) {
                        final int n = in.getInputStream().read(buf);
                        if (n < 0) {
                            throw new IOException("early socket closed after " + read + " bytes");
                        }
                        read += n;
                    }
                }
            }
            System.out.println("TRUTH early written=" + written + " writes=" + MESSAGES + " read=" + read + " port="
                    + port + " window=" + (window ? 1 : 0));
        }
    }

    /** Client writes MESSAGES messages (half single, half gathering writes), server reads them all; both close. */
    private static void stream(String name, StandardProtocolFamily family, SocketAddress bindTo, ExecutorService pool)
            throws Exception {
        long written = 0;
        long writes = 0;
        try (ServerSocketChannel server = ServerSocketChannel.open(family)) {
            server.bind(bindTo);
            final SocketAddress at = server.getLocalAddress();
            final long expected = (long) MESSAGES * SIZE;
            final Future<Long> reader = pool.submit(() -> {
                try (SocketChannel in = server.accept()) {
                    final ByteBuffer buf = ByteBuffer.allocate(8192);
                    long n = 0;
                    while (n < expected) {
                        buf.clear();
                        final int r = in.read(buf);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    return n;
                }
            });
            try (SocketChannel out = SocketChannel.open(family)) {
                out.connect(at);
                final byte[] payload = new byte[SIZE];
                for (int i = 0; i < MESSAGES; i++) {
                    if (i % 2 == 0) {
                        final ByteBuffer b = ByteBuffer.wrap(payload);
                        while (b.hasRemaining()) {
                            written += out.write(b);
                            writes++;
                        }
                    } else {
                        final ByteBuffer[] parts = {
                            ByteBuffer.wrap(payload, 0, 100), ByteBuffer.wrap(payload, 100, SIZE - 100)
                        };
                        while (parts[1].hasRemaining()) {
                            written += out.write(parts, 0, 2);
                            writes++;
                        }
                    }
                }
            }
            final long read = reader.get();
            System.out.println("TRUTH " + name + " written=" + written + " writes=" + writes + " read=" + read
                    + " endpoint=" + endpoint(at));
        }
    }

    private static String endpoint(SocketAddress at) {
        return at instanceof InetSocketAddress inet ? ":" + inet.getPort() : at.toString();
    }

    /** Ping-pong of MESSAGES datagrams: exact on loopback because only one is ever in flight. */
    private static void datagrams() throws IOException {
        long sent = 0;
        long received = 0;
        int port;
        try (DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET)) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.connect(a.getLocalAddress());
            port = ((InetSocketAddress) a.getLocalAddress()).getPort();
            final ByteBuffer buf = ByteBuffer.allocate(2048);
            final byte[] payload = new byte[SIZE];
            for (int i = 0; i < MESSAGES; i++) {
                if (i % 2 == 0) {
                    sent += a.send(ByteBuffer.wrap(payload), b.getLocalAddress());
                    buf.clear();
                    received += b.read(buf);
                } else {
                    sent += b.write(ByteBuffer.wrap(payload));
                    buf.clear();
                    a.receive(buf);
                    received += buf.position();
                }
            }
        }
        System.out.println(
                "TRUTH udp datagrams=" + MESSAGES + " sent=" + sent + " received=" + received + " port=" + port);
    }

    /** The same ping-pong over classic java.net.DatagramSocket: a unbound-peer socket and a connected one. */
    private static void datagramSockets() throws IOException {
        long sent = 0;
        long received = 0;
        int port;
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            b.connect(a.getLocalSocketAddress());
            port = a.getLocalPort();
            final byte[] payload = new byte[SIZE];
            final DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            for (int i = 0; i < MESSAGES; i++) {
                final DatagramSocket from = i % 2 == 0 ? a : b;
                final DatagramSocket to = i % 2 == 0 ? b : a;
                final DatagramPacket out = new DatagramPacket(payload, payload.length, to.getLocalSocketAddress());
                from.send(out);
                sent += out.getLength();
                in.setLength(2048);
                to.receive(in);
                received += in.getLength();
            }
        }
        System.out.println(
                "TRUTH dgsocket datagrams=" + MESSAGES + " sent=" + sent + " received=" + received + " port=" + port);
    }

    /** Classic java.net.Socket streams. */
    private static void classic(ExecutorService pool) throws Exception {
        final long expected = (long) MESSAGES * SIZE;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final Future<Long> reader = pool.submit(() -> {
                try (Socket s = server.accept();
                        InputStream in = s.getInputStream()) {
                    final byte[] buf = new byte[8192];
                    long n = 0;
                    while (n < expected) {
                        final int r = in.read(buf);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    return n;
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    OutputStream out = s.getOutputStream()) {
                final byte[] payload = new byte[SIZE];
                for (int i = 0; i < MESSAGES; i++) {
                    out.write(payload);
                }
            }
            System.out.println("TRUTH socket written=" + expected + " writes=" + MESSAGES + " read=" + reader.get()
                    + " opened=2 closed=2 port=" + server.getLocalPort());
        }
    }

    /**
     * A slow reader: a non-blocking writer fills the socket buffers until a write accepts less than offered (a
     * partial write), then the reader drains everything. Counts are exact; partial writes are at least one.
     */
    private static void partialWrites(ExecutorService pool) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress());
                    SocketChannel in = server.accept()) {
                out.configureBlocking(false);
                final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                long written = 0;
                long writes = 0;
                long partial = 0;
                long zero = 0;
                while (partial == 0 || zero == 0) {
                    chunk.clear();
                    final int n = out.write(chunk);
                    writes++;
                    written += n;
                    if (n < chunk.capacity()) {
                        partial++;
                    }
                    if (n == 0) {
                        zero++;
                    }
                }
                final long total = written;
                final Future<Long> reader = pool.submit(() -> {
                    final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    long n = 0;
                    while (n < total) {
                        buf.clear();
                        n += in.read(buf);
                        Thread.sleep(1); // a slow subscriber
                    }
                    return n;
                });
                System.out.println(
                        "TRUTH slow written=" + written + " writes=" + writes + " partial=" + partial + " read="
                                + reader.get() + " port=" + ((InetSocketAddress) server.getLocalAddress()).getPort());
            }
        }
    }
}
