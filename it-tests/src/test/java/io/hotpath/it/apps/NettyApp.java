package io.hotpath.it.apps;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty server broadcasting through a {@link ChannelGroup} to TCP clients on loopback; runs on Netty 4.1 and 4.2
 * (only API both have). Arguments: clients, messages, message size, {@code fast} or {@code slow} (clients read a
 * little every few milliseconds with tiny socket buffers, so the server's channels go unwritable). Prints
 * {@code TRUTH netty ...}.
 *
 * <p>In {@code fast} mode it then leaves known state behind for the agent's exit dump and exits without closing
 * anything: {@value #FAILING} broadcasts of a 1-byte message that every server channel refuses (failed recipients),
 * {@value #PENDING} unflushed writes of {@value #PENDING_SIZE} bytes on every server channel (pending outbound bytes),
 * and {@value #QUEUED} tasks queued behind a blocked task on an event loop of its own (pending tasks).
 */
@SuppressWarnings("deprecation") // NioEventLoopGroup is deprecated in 4.2 but is the API both lines share
public final class NettyApp {
    public static final int FAILING = 5;
    public static final int PENDING = 4;
    public static final int PENDING_SIZE = 100;
    public static final int QUEUED = 7;

    private NettyApp() {}

    public static void main(String[] args) throws Exception {
        final int clients = Integer.parseInt(args[0]);
        final int messages = Integer.parseInt(args[1]);
        final int size = Integer.parseInt(args[2]);
        final boolean slow = args[3].equals("slow");
        final long perClient = (long) messages * size;
        final EventLoopGroup boss = new NioEventLoopGroup(1);
        final EventLoopGroup workers = new NioEventLoopGroup(2);
        final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        final CountDownLatch joined = new CountDownLatch(clients);
        final AtomicLong unwritable = new AtomicLong();
        final List<Channel> serverChannels = new ArrayList<>();
        try {
            final ServerBootstrap sb = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 32 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (slow) {
                                ch.config().setSendBufferSize(4096);
                            }
                            ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                                @Override
                                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                                    if (msg instanceof ByteBuf b && b.readableBytes() == 1) {
                                        b.release();
                                        promise.setFailure(new IOException("1-byte messages are refused"));
                                    } else {
                                        ctx.write(msg, promise);
                                    }
                                }
                            });
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    synchronized (serverChannels) {
                                        serverChannels.add(ctx.channel());
                                    }
                                    group.add(ctx.channel());
                                    joined.countDown();
                                    ctx.fireChannelActive();
                                }

                                @Override
                                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                    if (!ctx.channel().isWritable()) {
                                        unwritable.incrementAndGet();
                                    }
                                    ctx.fireChannelWritabilityChanged();
                                }
                            });
                        }
                    });
            final Channel server =
                    sb.bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            // The agent builds its Netty advice when a program first uses Netty, and never makes it wait for that:
            // calls made before the advice is in place are not counted. The server channel and the event loop it
            // started, made before, are adopted by the agent once it is; every call counted below is made under it.
            final boolean ready = AdviceThreads.awaitNone(TimeUnit.SECONDS.toNanos(60));
            System.out.println("TRUTH advice ready=" + (ready ? 1 : 0));
            final CountDownLatch done = new CountDownLatch(clients);
            final List<AtomicLong> received = new ArrayList<>();
            final List<Channel> clientChannels = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                final AtomicLong n = new AtomicLong();
                received.add(n);
                final Bootstrap cb = new Bootstrap()
                        .group(workers)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.AUTO_READ, !slow)
                        .handler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                if (slow) {
                                    ctx.executor().scheduleAtFixedRate(ctx::read, 2, 2, TimeUnit.MILLISECONDS);
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                final ByteBuf b = (ByteBuf) msg;
                                if (n.addAndGet(b.readableBytes()) == perClient) {
                                    done.countDown();
                                }
                                b.release();
                            }
                        });
                if (slow) {
                    cb.option(ChannelOption.SO_RCVBUF, 4096);
                }
                clientChannels.add(cb.connect(server.localAddress()).sync().channel());
            }
            if (!joined.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients did not join");
            }
            final byte[] payload = new byte[size];
            for (int i = 0; i < messages; i++) {
                group.writeAndFlush(Unpooled.wrappedBuffer(payload));
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not all delivered: " + received);
            }
            long total = 0;
            for (AtomicLong n : received) {
                total += n.get();
            }
            if (!slow) {
                leaveStateForTheDump(group, serverChannels, clients, messages, total, unwritable.get());
                return; // not reached
            }
            for (Channel ch : clientChannels) {
                ch.close().sync();
            }
            group.close().sync();
            server.close().sync();
            System.out.println("TRUTH netty broadcasts=" + messages + " recipients=" + (long) messages * clients
                    + " bytes=" + total + " unwritable_seen=" + unwritable.get());
        } finally {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void leaveStateForTheDump(
            ChannelGroup group, List<Channel> serverChannels, int clients, int messages, long bytes, long unwritable)
            throws InterruptedException {
        long failed = 0;
        for (int i = 0; i < FAILING; i++) {
            final ChannelGroupFuture f = group.writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
            f.await();
            for (ChannelFuture cf : f) {
                if (!cf.isSuccess()) {
                    failed++;
                }
            }
        }
        final List<Channel> channels;
        synchronized (serverChannels) {
            channels = List.copyOf(serverChannels);
        }
        for (Channel ch : channels) {
            ch.eventLoop()
                    .submit(() -> {
                        for (int i = 0; i < PENDING; i++) {
                            ch.write(Unpooled.wrappedBuffer(new byte[PENDING_SIZE]));
                        }
                    })
                    .sync();
        }
        final EventLoopGroup stalled = new NioEventLoopGroup(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        stalled.execute(() -> {
            blocked.countDown();
            try {
                new CountDownLatch(1).await(); // until the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!blocked.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("stalled loop did not start");
        }
        for (int i = 0; i < QUEUED; i++) {
            stalled.execute(() -> {});
        }
        System.out.println("TRUTH netty broadcasts=" + (messages + FAILING) + " recipients="
                + (long) (messages + FAILING) * clients + " bytes=" + bytes + " unwritable_seen=" + unwritable
                + " failed=" + failed + " pending_bytes=" + (long) channels.size() * PENDING * PENDING_SIZE
                + " pending_tasks=" + QUEUED);
        System.out.flush();
        // Exit with the channels open and the loop blocked: the agent's exit dump reads that state.
        System.exit(0);
    }
}
