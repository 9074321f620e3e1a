package io.hotpath.benchmarks.program;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real Netty client/server throughput program over loopback TCP: the client's event loop writes 64-byte messages as
 * fast as the channel stays writable (flushing every 64 messages and whenever it turns unwritable), the server counts
 * the bytes it reads. Measures the second half of the run and prints {@code RESULT msgPerSec=<n>}: 64-byte messages
 * received per second.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.NettyThroughputProgram [seconds]
 * </pre>
 */
public final class NettyThroughputProgram {
    static final int SIZE = 64;

    private NettyThroughputProgram() {}

    public static void main(String[] args) throws Exception {
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6.0;
        final EventLoopGroup server = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final EventLoopGroup client = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final AtomicLong bytes = new AtomicLong();
        final Pump pump = new Pump();
        try {
            final Channel listening = new ServerBootstrap()
                    .group(server)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    final ByteBuf b = (ByteBuf) msg;
                                    bytes.addAndGet(b.readableBytes());
                                    b.release();
                                }
                            });
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sync()
                    .channel();
            final Channel ch = new Bootstrap()
                    .group(client)
                    .channel(NioSocketChannel.class)
                    .handler(pump)
                    .connect(listening.localAddress())
                    .sync()
                    .channel();
            final long half = (long) (seconds * 500);
            Thread.sleep(half);
            final long t0 = System.nanoTime();
            final long b0 = bytes.get();
            Thread.sleep(half);
            final long b1 = bytes.get();
            final long t1 = System.nanoTime();
            pump.running = false;
            ch.close().sync();
            listening.close().sync();
            System.out.printf(
                    java.util.Locale.ROOT, "RESULT msgPerSec=%.0f%n", (b1 - b0) / (double) SIZE / ((t1 - t0) / 1e9));
        } finally {
            client.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            server.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Writes on the client's event loop while the channel is writable. */
    private static final class Pump extends ChannelInboundHandlerAdapter {
        private final ByteBuf message =
                Unpooled.unreleasableBuffer(Unpooled.directBuffer(SIZE).writeZero(SIZE));
        volatile boolean running = true;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx);
            }
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        private void pump(ChannelHandlerContext ctx) {
            int n = 0;
            while (running && ctx.channel().isWritable() && n < 4096) {
                ctx.write(message.duplicate(), ctx.voidPromise());
                if (++n % 64 == 0) {
                    ctx.flush();
                }
            }
            ctx.flush();
            if (running && ctx.channel().isWritable()) {
                // Give the event loop its turn (reads, tasks), then go on.
                ctx.executor().execute(() -> pump(ctx));
            }
        }
    }
}
