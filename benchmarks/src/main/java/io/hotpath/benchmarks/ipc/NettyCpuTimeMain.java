package io.hotpath.benchmarks.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * {@link NettyWriteBenchmark}'s workload (a write and flush of a 128-byte buffer through an {@link EmbeddedChannel},
 * read back) timed by the thread's CPU time ({@link CpuRounds}). Run it without the agent and with each agent jar to
 * compare, alternating, and compare the medians: the difference is the agent's added cost per message (addMessage,
 * addFlush and remove of {@code ChannelOutboundBuffer}). A cross-check of the JMH figures on a busy machine, not a
 * replacement for them.
 *
 * <pre>
 * java -Xms512m -Xmx512m [-javaagent:agent/target/hotpath-agent.jar -Dhotpath.export.exporter=none] \
 *      -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.ipc.NettyCpuTimeMain [rounds] [messages]
 * </pre>
 */
public final class NettyCpuTimeMain {
    private static long sink;

    private NettyCpuTimeMain() {}

    public static void main(String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
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
        System.out.println("(sink " + sink + ")");
    }
}
