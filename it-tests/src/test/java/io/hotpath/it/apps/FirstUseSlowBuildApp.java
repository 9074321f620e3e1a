package io.hotpath.it.apps;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uses sockets from several threads while the agent is still building its socket advice ({@link SlowAgent} {@code build} makes
 * the build take seconds). It defines the JDK's socket classes first without constructing any ({@code Class.forName}),
 * so the agent defines them with its first-use call, then an address class starts the build on the agent's thread.
 * Once that thread is seen building ({@code hotpath-advice} inside {@code DeferredAdvice.advice}), it starts a
 * JFR recording of {@code jdk.ThreadPark} and {@code jdk.JavaMonitorEnter} events of 1 ms or more with stack traces
 * into {@code jfr}, and {@code threads} threads connect to a local server, write and close for {@code ms}
 * milliseconds. Prints {@code TRUTH slowbuild seen=<0|1> building=<0|1> opened=N slowestMs=M}: {@code building} 1 when
 * the build was still under way as the threads finished their first connection. Arguments: threads, ms, jfr.
 */
public final class FirstUseSlowBuildApp {
    private FirstUseSlowBuildApp() {}

    public static void main(String[] args) throws Exception {
        final int threads = Integer.parseInt(args[0]);
        final long ms = Long.parseLong(args[1]);
        for (String c : new String[] {"sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl"}) {
            Class.forName(c);
        }
        // A class the agent takes as the sign of a first socket: it starts building the advice in the background.
        new InetSocketAddress(0).getPort();
        final boolean seen = AdviceThreads.awaitInside("advice", TimeUnit.SECONDS.toNanos(60));
        final FirstUseWorkers workers = new FirstUseWorkers(true);
        final AtomicLong slowestNs = new AtomicLong();
        final CountDownLatch firstDone = new CountDownLatch(threads);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
            final Thread acceptor = new Thread(
                    () -> {
                        try {
                            while (true) {
                                server.accept().close();
                            }
                        } catch (Exception closed) {
                            // the server closed at the end
                        }
                    },
                    "acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            workers.start(threads, "slowbuild-", ms, (worker, first) -> {
                final long t0 = System.nanoTime();
                try (SocketChannel c = SocketChannel.open(at)) {
                    c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                }
                slowestNs.accumulateAndGet(System.nanoTime() - t0, Math::max);
                if (first) {
                    firstDone.countDown();
                }
            });
            firstDone.await(30, TimeUnit.SECONDS);
            final boolean building = AdviceThreads.inside("advice");
            final long opened = workers.finish(Path.of(args[2]));
            System.out.println("TRUTH slowbuild seen=" + (seen ? 1 : 0) + " building=" + (building ? 1 : 0) + " opened="
                    + opened + " slowestMs=" + TimeUnit.NANOSECONDS.toMillis(slowestNs.get()));
        }
    }
}
