package io.hotpath.it.apps;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Constructs sockets from several threads while the agent swaps its socket advice in. First it defines the JDK's
 * socket classes without constructing any ({@code Class.forName}), so the agent defines them with its first-use call;
 * an address class then starts the advice's build on the agent's thread. When the agent's thread is seen swapping
 * (a {@code hotpath-advice} thread inside a retransformation), {@code threads} threads construct and close socket
 * channels for {@code ms} milliseconds: each one's first object of a class not swapped yet runs the first-use call.
 * Records {@code jdk.JavaMonitorEnter} events of 1 ms or more, with stack traces, into the JFR file {@code jfr},
 * started here once the swap is under way rather than on the command line: JFR's start-up uses sockets, which would
 * have the advice built before the socket classes are defined. Prints {@code TRUTH rush seen=<0|1> opened=N}. Arguments: threads, ms, jfr.
 */
public final class FirstUseRushApp {
    private FirstUseRushApp() {}

    public static void main(String[] args) throws Exception {
        final int threads = Integer.parseInt(args[0]);
        final long ms = Long.parseLong(args[1]);
        for (String c : new String[] {
            "sun.nio.ch.SocketChannelImpl",
            "sun.nio.ch.ServerSocketChannelImpl",
            "sun.nio.ch.DatagramChannelImpl",
            "sun.nio.ch.NioSocketImpl"
        }) {
            Class.forName(c);
        }
        // A class the agent takes as the sign of a first socket: it starts building the advice in the background.
        new InetSocketAddress(0).getPort();
        final boolean seen = AdviceThreads.awaitInside("retransformClasses", TimeUnit.SECONDS.toNanos(60));
        final long opened = new FirstUseWorkers(false)
                .start(threads, "rush-", ms, (worker, first) -> {
                    switch (worker % 3) {
                        case 0 -> SocketChannel.open().close();
                        case 1 -> ServerSocketChannel.open().close();
                        default -> DatagramChannel.open().close();
                    }
                })
                .finish(Path.of(args[2]));
        System.out.println("TRUTH rush seen=" + (seen ? 1 : 0) + " opened=" + opened);
    }
}
