package io.hotpath.benchmarks.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * {@link NettyWriteBenchmark}'s workload (a write and flush of a 128-byte buffer through an {@link EmbeddedChannel},
 * read back) timed by the thread's CPU time ({@link CpuRounds}). Run it without the agent and with each agent jar to
 * compare, alternating, and compare the medians: the difference is the agent's added cost per message (addMessage,
 * addFlush and remove of {@code ChannelOutboundBuffer}). A cross-check of the JMH figures on a busy machine, not a
 * replacement for them.
 *
 * <p>With {@code gathering} it times instead what an NIO socket channel's event loop does with its outbound buffer per
 * gathering write, without the socket: {@value #BATCH} messages of 64 bytes queued, one flush, the buffer's NIO view
 * taken, and every message removed by one {@code removeBytes} as after a write that took all of them (the path of a
 * Netty client or server over TCP, which {@code EmbeddedChannel} does not take: it removes message by message).
 *
 * <pre>
 * java -Xms512m -Xmx512m [-javaagent:agent/target/hotpath-agent.jar -Dhotpath.export.exporter=none] \
 *      -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.ipc.NettyCpuTimeMain [rounds] [messages] [embedded|gathering]
 * </pre>
 */
public final class NettyCpuTimeMain {
    /** Messages per gathering write, as the throughput program flushes. */
    static final int BATCH = 64;

    private static long sink;

    private NettyCpuTimeMain() {}

    public static void main(String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        if (args.length > 2 && args[2].equals("gathering")) {
            gathering(rounds, messages / BATCH);
        } else {
            embedded(rounds, messages);
        }
        System.out.println("(sink " + sink + ")");
    }

    private static void embedded(int rounds, int messages) {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ByteBuf payload =
                Unpooled.unreleasableBuffer(Unpooled.directBuffer(128).writeZero(128));
        CpuRounds.print("writeAndFlush per message:", rounds, messages, () -> {
            for (int i = 0; i < messages; i++) {
                channel.writeAndFlush(payload.duplicate());
                if (channel.readOutbound() != null) {
                    sink++;
                }
            }
        });
        channel.finishAndReleaseAll();
    }

    private static void gathering(int rounds, int writes) {
        // Never registered: its outbound buffer is driven directly on this thread, and its socket never written.
        final NioSocketChannel channel = new NioSocketChannel();
        final ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        final ChannelPromise promise = channel.voidPromise();
        final ByteBuf payload =
                Unpooled.unreleasableBuffer(Unpooled.directBuffer(64).writeZero(64));
        CpuRounds.print("gathering write per message:", rounds, writes * BATCH, () -> {
            for (int w = 0; w < writes; w++) {
                for (int i = 0; i < BATCH; i++) {
                    buffer.addMessage(payload.duplicate(), 64, promise);
                }
                buffer.addFlush();
                sink += buffer.nioBuffers(1024, Long.MAX_VALUE).length;
                buffer.removeBytes(buffer.nioBufferSize());
            }
        });
        if (!buffer.isEmpty()) {
            throw new IllegalStateException("messages left in the buffer: " + buffer.size());
        }
        channel.unsafe().closeForcibly();
    }
}
