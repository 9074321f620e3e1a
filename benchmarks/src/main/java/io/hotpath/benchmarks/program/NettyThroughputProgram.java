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
 * the bytes it reads. Prints the 64-byte messages the server received so far every interval ({@link Progress}) for
 * {@code seconds}.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.NettyThroughputProgram [seconds [intervalMillis]]
 * </pre>
 */
public final class NettyThroughputProgram {
    static final int SIZE = 64;

    private NettyThroughputProgram() {}

    public static void main(String[] args) throws Exception {
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20.0;
        final long interval = args.length > 1 ? Long.parseLong(args[1]) : 500L;
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
            Progress.print(seconds, interval, () -> bytes.get() / SIZE, () -> 0L);
            pump.running = false;
            ch.close().sync();
            listening.close().sync();
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
