package io.hotpath.benchmarks.ipc;

import io.hotpath.benchmarks.AgentCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@code SocketChannel.write} of 64 bytes over TCP loopback, drained by a reader thread: the path the agent
 * advises in the JDK's {@code SocketChannelImpl}. Dominated by the system call; the agent's added cost is the
 * difference to the same run without it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SocketWriteBenchmark {
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel accepted;
    private Thread drainer;
    private volatile boolean running;
    private final ByteBuffer payload = ByteBuffer.allocateDirect(64);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        accepted = server.accept();
        running = true;
        drainer = new Thread(() -> {
            final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
            try {
                while (running && accepted.read(in.clear()) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // closed at tear-down
            }
        });
        drainer.setDaemon(true);
        drainer.start();
        client.write(payload.clear());
        AgentCheck.requireProbe("net.tcp#write", "net.tcp#write"::equals);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running = false;
        client.close();
        drainer.join(5_000);
        accepted.close();
        server.close();
    }

    /** {@code cpu}: the benchmark thread's CPU time, the steadier figure on a busy machine ({@link ThreadCpu}). */
    @Benchmark
    public int write(ThreadCpu cpu) throws IOException {
        return client.write(payload.clear());
    }
}
