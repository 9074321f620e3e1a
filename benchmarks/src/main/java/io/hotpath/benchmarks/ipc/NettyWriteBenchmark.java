package io.hotpath.benchmarks.ipc;

import io.hotpath.benchmarks.AgentCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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
 * One Netty write and flush of a 128-byte buffer through an {@link EmbeddedChannel}: the path the agent advises in
 * {@code ChannelOutboundBuffer} (addMessage, addFlush, remove). The written message is read back and released so the
 * channel's outbound queue stays empty.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NettyWriteBenchmark {
    private EmbeddedChannel channel;
    private ByteBuf payload;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel();
        payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(128).writeZero(128));
        writeAndFlush();
        AgentCheck.requireProbe("netty.outbound*", name -> name.startsWith("netty.outbound"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public Object writeAndFlush() {
        channel.writeAndFlush(payload.duplicate());
        return channel.readOutbound();
    }
}
