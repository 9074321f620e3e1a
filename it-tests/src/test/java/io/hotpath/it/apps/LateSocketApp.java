package io.hotpath.it.apps;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens its first socket only after the agent's exporter has made its own connections (the test creates the file
 * named by the argument once a few exports have arrived): a TCP client and server over loopback
 * {@code SocketChannel}s, once the advice its first socket started building is in place. Prints {@code TRUTH late
 * written=N writes=N read=N}.
 */
public final class LateSocketApp {
    static final int MESSAGES = 500;
    static final int SIZE = 200;

    private LateSocketApp() {}

    public static void main(String[] args) throws Exception {
        final Path go = Path.of(args[0]);
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Sockets.run();
    }

    /**
     * The socket work, in a class of its own: verifying {@code main} must not load {@code java.net} types (checking
     * that an {@code InetSocketAddress} is a {@code SocketAddress} would), or the application would touch the socket
     * library before the exporter does, and the test would no longer cover the path it is for.
     */
    private static final class Sockets {
        private Sockets() {}

        static void run() throws Exception {
            long written = 0;
            long writes = 0;
            long read = 0;
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                // The application's first socket starts the advice's build and goes on; calls before the advice is in
                // place are not counted, so the counted work waits for it.
                if (!AdviceThreads.awaitNone(60_000_000_000L)) {
                    throw new IllegalStateException("the socket advice was not in place within 60 s");
                }
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                        SocketChannel accepted = server.accept()) {
                    final ByteBuffer out = ByteBuffer.allocate(SIZE);
                    final ByteBuffer in = ByteBuffer.allocate(SIZE * 4);
                    for (int i = 0; i < MESSAGES; i++) {
                        out.clear();
                        written += client.write(out);
                        writes++;
                        while (read < written) {
                            in.clear();
                            read += accepted.read(in);
                        }
                    }
                }
            }
            System.out.println("TRUTH late written=" + written + " writes=" + writes + " read=" + read);
        }
    }
}
