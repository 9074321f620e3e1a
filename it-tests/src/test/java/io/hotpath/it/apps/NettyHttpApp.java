package io.hotpath.it.apps;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty HTTP server on loopback, called {@code requests} times by the JDK's HTTP client. Each request hands one
 * task to a {@link ThreadPoolExecutor} and one item to an {@link ArrayBlockingQueue} drained by a thread of its own,
 * so the agent has exact counts to report. Then it lingers {@code linger ms} (for periodic exports) and prints
 * {@code TRUTH http ok=N tasks=N queued=N dequeued=N}. Arguments: requests, linger ms.
 */
@SuppressWarnings("deprecation") // NioEventLoopGroup is deprecated in 4.2 but is the API 4.1 shares
public final class NettyHttpApp {
    private NettyHttpApp() {}

    public static void main(String[] args) throws Exception {
        final int requests = Integer.parseInt(args[0]);
        final long linger = Long.parseLong(args[1]);
        final ThreadPoolExecutor workers =
                new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000));
        final BlockingQueue<Integer> handOff = new ArrayBlockingQueue<>(1000);
        final AtomicLong tasks = new AtomicLong();
        final AtomicLong dequeued = new AtomicLong();
        final Thread drain = new Thread(
                () -> {
                    try {
                        while (true) {
                            handOff.take();
                            dequeued.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        // asked to stop
                    }
                },
                "hand-off-drain");
        drain.setDaemon(true);
        drain.start();
        final EventLoopGroup boss = new NioEventLoopGroup(1);
        final EventLoopGroup io = new NioEventLoopGroup(2);
        try {
            final Channel server = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(64 * 1024))
                                    .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req)
                                                throws InterruptedException {
                                            workers.execute(tasks::incrementAndGet);
                                            handOff.put(1);
                                            final FullHttpResponse resp = new DefaultFullHttpResponse(
                                                    HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.OK,
                                                    Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
                                            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                                            HttpUtil.setContentLength(resp, 2);
                                            HttpUtil.setKeepAlive(resp, HttpUtil.isKeepAlive(req));
                                            ctx.writeAndFlush(resp);
                                        }
                                    });
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0)
                    .sync()
                    .channel();
            final int port = ((InetSocketAddress) server.localAddress()).getPort();
            final HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            int ok = 0;
            for (int i = 0; i < requests; i++) {
                final HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?i=" + i))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().equals("ok")) {
                    ok++;
                }
            }
            workers.shutdown();
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("workers did not finish");
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dequeued.get() < requests && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(linger);
            System.out.println("TRUTH http ok=" + ok + " tasks=" + tasks.get() + " queued=" + requests + " dequeued="
                    + dequeued.get());
            server.close().sync();
        } finally {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
