package io.hotpath.reference;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A wire subscriber: a Netty server that broadcasts every delivered message as one frame through a
 * {@link ChannelGroup} to {@code clients} Netty clients, over TCP on loopback or a UNIX-domain socket. The message
 * counts as consumed once every client has decoded it.
 *
 * <p>Back-pressure: {@link #deliver} waits while any channel of the group is unwritable (its outbound buffer is over
 * the high-water mark), so a slow client ({@code --slow-wire-us}, which sleeps per frame on its own event loop) holds
 * the dispatcher threads, as a slow socket subscriber does in a real broadcaster. A socket back-pressure fault
 * ({@link Faults}) slows the first client from its onset.
 */
final class NettyBroadcastChannel implements SubscriberChannel {
    private final String name;
    private final boolean unixDomain;
    private final int clientCount;
    private final long slowNanos;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong framesWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong backPressureWaits = new AtomicLong();
    private final List<Client> clients = new ArrayList<>();
    private final LatencyRecorder latency = new LatencyRecorder();
    private EventLoopGroup serverGroup;
    private ChannelGroup group;
    private Channel server;
    private Path socketFile;

    /** Kernel socket buffer (send on the server side, receive on the slow client) when a slow reader is expected. */
    static final int SMALL_SOCKET_BUFFER = 4096;

    NettyBroadcastChannel(String name, boolean unixDomain, int clients, long slowNanos) {
        this.name = name;
        this.unixDomain = unixDomain;
        this.clientCount = clients;
        this.slowNanos = slowNanos;
    }

    @Override
    public String name() {
        return name;
    }

    /** A slow reader is configured or planned (see {@link Faults#slowReaderPlanned}). */
    private boolean smallSocketBuffers() {
        return slowNanos > 0 || Faults.slowReaderPlanned();
    }

    @Override
    public void start() {
        try {
            serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            group = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
            final SocketAddress bindTo;
            if (unixDomain) {
                socketFile = Files.createTempFile("hotpath-reference-", ".sock");
                Files.delete(socketFile);
                bindTo = UnixDomainSocketAddress.of(socketFile);
            } else {
                bindTo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            }
            final java.util.concurrent.CountDownLatch joined = new java.util.concurrent.CountDownLatch(clientCount);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(serverGroup)
                    .channel(unixDomain ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
            if (smallSocketBuffers()) {
                bootstrap = bootstrap.childOption(ChannelOption.SO_SNDBUF, SMALL_SOCKET_BUFFER);
            }
            server = bootstrap
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            group.add(ch);
                            joined.countDown();
                        }
                    })
                    .bind(bindTo)
                    .sync()
                    .channel();
            for (int i = 0; i < clientCount; i++) {
                final Client c = new Client(i == 0, i == 0 ? slowNanos : 0, i == 0 ? latency : null);
                c.connect(server.localAddress());
                clients.add(c);
            }
            if (!joined.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": clients did not connect");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while starting", e);
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot start: " + e, e);
        }
    }

    @Override
    public void deliver(StatusMessage message) throws InterruptedException {
        while (!allWritable()) {
            backPressureWaits.incrementAndGet();
            LockSupport.parkNanos(100_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        final byte[] frame = WireFrame.encode(message);
        final int recipients = group.size();
        group.writeAndFlush(Unpooled.wrappedBuffer(frame));
        delivered.incrementAndGet();
        framesWritten.addAndGet(recipients);
        bytesWritten.addAndGet((long) frame.length * recipients);
    }

    private boolean allWritable() {
        for (Channel ch : group) {
            if (!ch.isWritable()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public long consumed() {
        long min = Long.MAX_VALUE;
        for (Client c : clients) {
            min = Math.min(min, c.frames.get());
        }
        return clients.isEmpty() ? 0 : min;
    }

    @Override
    public int backlog() {
        return (int) Math.min(Integer.MAX_VALUE, delivered() - consumed());
    }

    @Override
    public boolean close(Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (consumed() < delivered() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        final boolean drained = consumed() == delivered();
        for (Client c : clients) {
            c.close();
        }
        group.close().await(5, TimeUnit.SECONDS);
        server.close().await(5, TimeUnit.SECONDS);
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                // a temp file; nothing else to do
            }
        }
        return drained;
    }

    @Override
    public Map<String, Long> wire() {
        final Map<String, Long> m = new LinkedHashMap<>();
        long framesRead = 0;
        long bytesRead = 0;
        for (Client c : clients) {
            framesRead += c.frames.get();
            bytesRead += c.bytes.get();
        }
        m.put("wireClients", (long) clientCount);
        m.put("framesWritten", framesWritten.get());
        m.put("bytesWritten", bytesWritten.get());
        m.put("framesRead", framesRead);
        m.put("bytesRead", bytesRead);
        m.put("backPressureWaits", backPressureWaits.get());
        return m;
    }

    @Override
    public LatencyRecorder latency() {
        return latency;
    }

    /** One client with its own event loop, decoding length-prefixed frames. */
    private final class Client {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        private final boolean first;
        private final long pauseNanos;
        private final LatencyRecorder recorder;
        private EventLoopGroup loop;
        private Channel channel;
        private ByteBuf pending;

        Client(boolean first, long pauseNanos, LatencyRecorder recorder) {
            this.first = first;
            this.pauseNanos = pauseNanos;
            this.recorder = recorder;
        }

        void connect(SocketAddress to) throws InterruptedException {
            loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(unixDomain ? NioDomainSocketChannel.class : NioSocketChannel.class);
            if (first && smallSocketBuffers()) {
                bootstrap = bootstrap.option(ChannelOption.SO_RCVBUF, SMALL_SOCKET_BUFFER);
            }
            channel = bootstrap
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            onData((ByteBuf) msg);
                        }
                    })
                    .connect(to)
                    .sync()
                    .channel();
        }

        /** Runs on this client's event loop only. */
        private void onData(ByteBuf in) {
            bytes.addAndGet(in.readableBytes());
            if (pending == null) {
                pending = Unpooled.buffer();
            }
            pending.writeBytes(in);
            in.release();
            while (pending.readableBytes() >= WireFrame.HEADER) {
                final int length = pending.getInt(pending.readerIndex());
                if (pending.readableBytes() < WireFrame.HEADER + length) {
                    break;
                }
                final long created = pending.getLong(pending.readerIndex() + WireFrame.HEADER + 4 + 8);
                pending.skipBytes(WireFrame.HEADER + length);
                final long pause = first ? pauseNanos + Faults.wirePauseNanos() : pauseNanos;
                if (pause > 0) {
                    SimulatedWork.pause(pause);
                }
                if (recorder != null) {
                    recorder.record(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - created));
                }
                frames.incrementAndGet();
            }
            pending.discardReadBytes();
        }

        void close() throws InterruptedException {
            channel.close().await(5, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            if (pending != null) {
                pending.release();
            }
        }
    }
}
