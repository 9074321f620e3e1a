package io.hotpath.bootstrap.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EndpointsTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private static String unique(String what) {
        return "test.endpoints." + what + "." + System.nanoTime() + "." + UNIQUE.incrementAndGet();
    }

    /** A stream channel write as its advice makes it: {@code n} bytes taken, {@code left} left in the buffer. */
    private static void write(Probe op, Object channel, long n, int left) {
        final long token = Endpoints.beginWrite(channel, null, op.id(), op.id());
        Endpoints.writeDone(channel, null, op.id(), op.id(), token, n, ByteBuffer.allocate(left), null);
    }

    /** A stream channel read as its advice makes it: {@code n} bytes, or {@code thrown}. */
    private static void read(Probe op, Object channel, long n, Throwable thrown) {
        final long token = Endpoints.beginRead(channel, null, op.id(), op.id());
        Endpoints.readDone(channel, null, op.id(), op.id(), token, n, thrown);
    }

    @Test
    void datagramChannelsAreNamedAtTheirFirstDatagram() {
        final Probe send = Probes.register(unique("send"), PathKind.IPC, 0);
        final Object channel = new Object();
        final String local = unique("local");
        Endpoints.datagramSent(send, channel, local, null, 100, 100);
        Endpoints.datagramSent(send, channel, "ignored after the first", null, 0, 50);
        Endpoints.datagramReceived(send, channel, local, null, 30);
        final Probe e = Endpoints.attached(channel);
        assertThat(e.name()).isEqualTo("net.udp at " + local);
        assertThat(e.total(Slot.OPENED)).isEqualTo(1);
        assertThat(e.total(Slot.IN)).isEqualTo(1);
        assertThat(e.total(Slot.BYTES_OUT)).isEqualTo(100);
        assertThat(e.total(Slot.DROPPED)).isEqualTo(1);
        assertThat(e.total(Slot.OUT)).isEqualTo(1);
        assertThat(e.total(Slot.BYTES_IN)).isEqualTo(30);
        assertThat(send.total(Slot.BYTES_OUT)).isEqualTo(100);
        assertThat(send.total(Slot.BYTES_IN)).isEqualTo(30);
        Endpoints.close(channel);
        assertThat(e.total(Slot.CLOSED)).isEqualTo(1);
        assertThat(Endpoints.attached(channel)).isNull();
    }

    @Test
    void connectionsOpenedOnAgentThreadsAreMarkedAndNeverCounted() throws Exception {
        final Object app = new Object();
        final Object agent = new Object();
        assertThat(Endpoints.excluded(app)).isFalse();
        assertThat(Endpoints.cellOf(app)).isZero();
        final AtomicBoolean marked = new AtomicBoolean();
        final Thread t = AgentThreads.newThread(() -> marked.set(Endpoints.excluded(agent)), "agent-test");
        t.start();
        t.join(10_000);
        assertThat(marked).isTrue();
        // Threads started from an agent thread are the agent's too (the JDK HTTP client's selector thread).
        final AtomicBoolean inherited = new AtomicBoolean();
        final Thread parent = AgentThreads.newThread(
                () -> {
                    final Thread child = new Thread(() -> inherited.set(AgentThreads.current()));
                    child.start();
                    try {
                        child.join(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "agent-parent");
        parent.start();
        parent.join(10_000);
        assertThat(inherited).isTrue();

        final long cell = Endpoints.cellOf(agent);
        assertThat(cell).isEqualTo(Endpoints.AGENT);
        assertThat(Endpoints.probeOf(cell)).isNull();
        assertThat(Endpoints.attached(agent)).isNull();
        final Probe write = Probes.register(unique("write"), PathKind.IPC, 0);
        final Probe read = Probes.register(unique("read"), PathKind.IPC, 0);
        write(write, agent, 10, 10);
        read(read, agent, 10, null);
        read(read, agent, 0, new java.io.IOException("test"));
        assertThat(write.total(Slot.CALLS) + read.total(Slot.CALLS) + read.total(Slot.ERRORS))
                .as("the agent's own connection is counted nowhere")
                .isZero();
        assertThat(Endpoints.closedAgent(app, Endpoints.cellOf(app))).isFalse();
        assertThat(Endpoints.closedAgent(agent, cell)).isTrue();
        assertThat(Endpoints.cellOf(agent)).isZero();
        write(write, agent, 10, 10);
        assertThat(write.total(Slot.CALLS)).isEqualTo(1);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(10);
        assertThat(write.total(Slot.PARTIAL)).isEqualTo(1);
    }

    @Test
    void acceptedClassicSocketsAreNamedByTheListeningPort() {
        final Object accepted = new Object();
        Endpoints.openPort(accepted, "net.socket at", 65001);
        final Probe read = Probes.register(unique("read"), PathKind.IPC, 0);
        Endpoints.socketAdd(read, accepted, Slot.BYTES_IN, 42);
        Endpoints.socketAdd(read, accepted, Slot.PARTIAL, 1);
        final Probe e = Endpoints.attached(accepted);
        assertThat(e.name()).isEqualTo("net.socket at port 65001");
        assertThat(e.total(Slot.BYTES_IN)).isEqualTo(42);
        assertThat(e.total(Slot.PARTIAL)).isEqualTo(1);
        Endpoints.close(accepted);
    }

    @Test
    void streamReadsAndWritesAreCountedOnceAndSummedIntoTheirOperation() {
        final String family = unique("family");
        final Probe write = Probes.register(unique("write"), PathKind.IPC, 0);
        final Probe read = Probes.register(unique("read"), PathKind.IPC, 0);
        final Object early = new Object();
        Endpoints.open(early, family + " to", "early"); // named before the operations are declared
        Endpoints.streamOperation(family, true, write);
        Endpoints.streamOperation(family, false, read);
        Endpoints.streamOperation(family, true, write); // declaring again (a retransformation) adds nothing
        final Object late = new Object();
        Endpoints.open(late, family + " at", "late");
        final Object unattached = new Object();

        for (Object channel : new Object[] {early, late, unattached}) {
            write(write, channel, 10, 0);
            write(write, channel, 3, 2);
            read(read, channel, 7, null);
            read(read, channel, 0, new java.io.IOException("test"));
        }

        final Probe e = Endpoints.attached(early);
        assertThat(e.total(Slot.IN)).isEqualTo(2);
        assertThat(e.total(Slot.OUT)).isEqualTo(2);
        assertThat(e.total(Slot.BYTES_OUT)).isEqualTo(13);
        assertThat(e.total(Slot.BYTES_IN)).isEqualTo(7);
        assertThat(e.total(Slot.PARTIAL)).isEqualTo(1);
        assertThat(e.total(Slot.CALLS)).isZero();
        // each figure added once: the operations see all three channels, the endpoints their own
        assertThat(write.total(Slot.CALLS)).isEqualTo(6);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(39);
        assertThat(write.total(Slot.PARTIAL)).isEqualTo(3);
        assertThat(read.total(Slot.CALLS)).isEqualTo(6);
        assertThat(read.total(Slot.BYTES_IN)).isEqualTo(21);
        assertThat(read.total(Slot.ERRORS)).isEqualTo(3);
        assertThat(write.total(Slot.BYTES_IN)).isZero();
        final long[] counters = new long[Slot.COUNT];
        write.readCounters(counters);
        assertThat(counters[Slot.CALLS]).isEqualTo(6);
        Endpoints.close(early);
        Endpoints.close(late);
    }

    @Test
    void aSampledChannelReadOrWriteRecordsItsSizeWithItsLatency() {
        final String family = unique("family");
        final int dists = io.hotpath.bootstrap.Dist.bit(io.hotpath.bootstrap.Dist.LATENCY)
                | io.hotpath.bootstrap.Dist.bit(io.hotpath.bootstrap.Dist.SIZE);
        final Probe write = Probes.register(unique("write"), PathKind.IPC, dists);
        final Probe read = Probes.register(unique("read"), PathKind.IPC, dists);
        Endpoints.streamOperation(family, true, write);
        Endpoints.streamOperation(family, false, read);
        final Object channel = new Object(); // no endpoint: timed on the operation probe
        write(write, channel, 64, 0);
        read(read, channel, 32, null);
        for (Probe p : new Probe[] {write, read}) {
            final long[] sizes = new long[io.hotpath.bootstrap.BucketHistogram.LENGTH];
            assertThat(p.readDist(io.hotpath.bootstrap.Dist.SIZE, sizes)).isTrue();
            assertThat(io.hotpath.bootstrap.BucketHistogram.count(sizes))
                    .as(p.name())
                    .isEqualTo(1);
        }
    }

    /**
     * A new connection names its endpoint on an application thread. The agent's cold side may meanwhile hold the class's
     * monitor (once, every declaration took it) or the operation probe's row lock (the snapshot folds under it): the
     * application's call must complete anyway, and the endpoint still becomes a part of the operation.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aNewEndpointJoinsItsFamilyWhileTheColdSideHoldsItsLocks() throws Exception {
        final String family = unique("family");
        final Probe write = Probes.register(unique("write"), PathKind.IPC, 0);
        Endpoints.streamOperation(family, true, write);
        final Field rowLock = Probe.class.getDeclaredField("rowLock");
        rowLock.setAccessible(true);
        final Object writeRows = rowLock.get(write);
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread holder = new Thread(() -> {
            synchronized (Endpoints.class) {
                synchronized (writeRows) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        holder.setDaemon(true);
        holder.start();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        final Object channel = new Object();
        try {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(5), () -> Endpoints.open(channel, family + " to", unique("peer")));
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> write(write, channel, 10, 0));
        } finally {
            release.countDown();
            holder.join(10_000);
        }
        assertThat(write.total(Slot.CALLS)).isEqualTo(1);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(10);
        Endpoints.close(channel);
    }

    /**
     * Endpoints join from many threads while the operations are declared: whichever comes first, every endpoint ends up
     * a part of both operations exactly once (each write counted once in the operation's total).
     */
    // Few names: the cap on endpoint names (128) is global, and other tests need names of their own.
    @RepeatedTest(5)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void endpointsJoiningWhileTheOperationsAreDeclaredAreEachSummedOnce() throws Exception {
        final String family = unique("race");
        final Probe write = Probes.register(unique("write"), PathKind.IPC, 0);
        final Probe read = Probes.register(unique("read"), PathKind.IPC, 0);
        final int threads = 2;
        final int perThread = 2;
        final Object[][] channels = new Object[threads][perThread];
        final CyclicBarrier go = new CyclicBarrier(threads + 1);
        final List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final Object[] mine = channels[t];
            final Thread th = new Thread(() -> {
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < mine.length; i++) {
                    mine[i] = new Object();
                    Endpoints.open(mine[i], family + " to", unique("peer"));
                }
            });
            th.start();
            ts.add(th);
        }
        go.await(10, TimeUnit.SECONDS);
        Endpoints.streamOperation(family, true, write);
        Endpoints.streamOperation(family, false, read);
        for (Thread th : ts) {
            th.join(10_000);
        }
        for (Object[] mine : channels) {
            for (Object channel : mine) {
                write(write, channel, 2, 0);
                read(read, channel, 3, null);
            }
        }
        final int n = threads * perThread;
        assertThat(write.total(Slot.CALLS)).isEqualTo(n);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(2L * n);
        assertThat(read.total(Slot.CALLS)).isEqualTo(n);
        assertThat(read.total(Slot.BYTES_IN)).isEqualTo(3L * n);
        for (Object[] mine : channels) {
            for (Object channel : mine) {
                Endpoints.close(channel);
            }
        }
    }

    /**
     * A connection constructed before its class had the advice, and connected meanwhile, is adopted on its first
     * recorded call: counted opened once, on its family's connections probe and on the endpoint its connect (or accept) would have
     * named, read from the JDK channel's own fields. One not connected yet stays marked for its connect; a datagram
     * channel's first-use endpoint replaces a mark.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aConnectionMarkedBeforeTheAdviceIsAdoptedOnceOnItsFirstRecordedCall() throws Exception {
        assertThat(Endpoints.adoptable()).isTrue();
        final Probe tcp = Probes.register(unique("tcp"), PathKind.IPC, 0);
        final Probe connections = Probes.register(unique("tcp.connections"), PathKind.IPC, 0);
        Endpoints.connections("net.tcp", connections);
        final java.net.ProtocolFamily inet = java.net.StandardProtocolFamily.INET;
        final Object datagram = new Object();
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()
                        .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                java.nio.channels.SocketChannel opened =
                        java.nio.channels.SocketChannel.open(server.getLocalAddress());
                java.nio.channels.SocketChannel accepted = server.accept();
                java.nio.channels.SocketChannel unconnected = java.nio.channels.SocketChannel.open()) {
            Endpoints.pending(opened, false);
            Endpoints.pending(accepted, true);
            Endpoints.pending(unconnected, false);
            Endpoints.pending(datagram, false);

            assertThat(Endpoints.streamCell(unconnected, inet, tcp.id(), tcp.id()))
                    .isEqualTo(Endpoints.PENDING);
            final long o = Endpoints.streamCell(opened, inet, tcp.id(), tcp.id());
            assertThat(Endpoints.probeOf(o).name()).isEqualTo("net.tcp to " + opened.getRemoteAddress());
            assertThat(Endpoints.streamCell(opened, inet, tcp.id(), tcp.id())).isEqualTo(o);
            final long a = Endpoints.streamCell(accepted, inet, tcp.id(), tcp.id());
            assertThat(Endpoints.probeOf(a).name()).isEqualTo("net.tcp at " + server.getLocalAddress());
            // Counted opened on the connections probe, not on the operation probe of the call that adopted it.
            assertThat(connections.total(Slot.OPENED)).isEqualTo(2);
            assertThat(tcp.total(Slot.OPENED)).isZero();
            assertThat(Endpoints.probeOf(o).total(Slot.OPENED)).isEqualTo(1);
            assertThat(Endpoints.probeOf(a).total(Slot.OPENED)).isEqualTo(1);

            // Closing a connection adopts it first, so that it is counted closed after it was counted opened.
            try (java.nio.channels.SocketChannel late =
                    java.nio.channels.SocketChannel.open(server.getLocalAddress())) {
                Endpoints.pending(late, false);
                final Probe lateEndpoint = Endpoints.named("net.tcp to", String.valueOf(late.getRemoteAddress()));
                final long closedBefore = lateEndpoint.total(Slot.CLOSED);
                final long openedBefore = lateEndpoint.total(Slot.OPENED);
                Endpoints.streamClosed(late, inet, connections.id(), connections.id());
                assertThat(lateEndpoint.total(Slot.OPENED)).isEqualTo(openedBefore + 1);
                assertThat(lateEndpoint.total(Slot.CLOSED)).isEqualTo(closedBefore + 1);
                assertThat(connections.total(Slot.OPENED)).isEqualTo(3);
                assertThat(connections.total(Slot.CLOSED)).isEqualTo(1);
                assertThat(Endpoints.cellOf(late)).isZero();
            }

            final String prefix = unique("udp");
            assertThat(Endpoints.firstUse(datagram, prefix, "x").name()).isEqualTo(prefix + " x");

            for (Object channel : new Object[] {opened, accepted, unconnected, datagram}) {
                Endpoints.close(channel);
            }
        }
    }

    /**
     * Classic sockets ({@code NioSocketImpl}, driven here as {@code Socket} and {@code ServerSocket} drive it) constructed
     * before their class had the advice, and connected or accepted meanwhile, are adopted on their first recorded read,
     * write or close: counted opened once on the connections probe, on the endpoint their accept (the listening port,
     * known from the server socket constructed meanwhile) or connect (the remote address) would have named. One closed
     * before the advice is counted neither opened nor closed, so the connections stay balanced.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void classicSocketsMarkedBeforeTheAdviceAreAdoptedOnTheirFirstRecordedCall() throws Throwable {
        assertThat(ClassicSocketFields.available()).isTrue();
        final Probe connections = Probes.register(unique("socket.connections"), PathKind.IPC, 0);
        final Probe read = Probes.register(unique("socket.read"), PathKind.IPC, 0);
        final Probe write = Probes.register(unique("socket.write"), PathKind.IPC, 0);
        Endpoints.connections("net.socket", connections);
        final java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();

        final ClassicSocket server = ClassicSocket.constructed(true);
        server.call("create", true);
        server.call("bind", loopback, 0);
        server.call("listen", 50);
        final int port = ClassicSocketFields.localPort(server.impl);
        assertThat(Endpoints.cellOf(server.impl))
                .as("a server socket is kept, not marked")
                .isZero();
        final java.net.InetSocketAddress at = new java.net.InetSocketAddress(loopback, port);

        final ClassicSocket client = ClassicSocket.connectedTo(at);
        final ClassicSocket accepted = ClassicSocket.acceptedBy(server);
        final ClassicSocket closedByAdvice = ClassicSocket.connectedTo(at);
        final ClassicSocket closedEarly = ClassicSocket.connectedTo(at);
        final ClassicSocket acceptedClosedByAdvice = ClassicSocket.acceptedBy(server);
        final ClassicSocket acceptedClosedEarly = ClassicSocket.acceptedBy(server);
        // Closed before the advice: their close ran no advice.
        closedEarly.call("close");
        acceptedClosedEarly.call("close");

        Endpoints.streamReadDone(read.id(), accepted.impl, 0L, 10, null);
        Endpoints.streamReadDone(read.id(), accepted.impl, 0L, 5, null);
        Endpoints.streamWriteDone(write.id(), client.impl, 0L, 15, null);
        Endpoints.partial(write.id(), client.impl);

        final Probe atPort = Endpoints.probeOf(Endpoints.cellOf(accepted.impl));
        assertThat(atPort.name()).isEqualTo("net.socket at port " + port);
        assertThat(atPort.total(Slot.OPENED)).isEqualTo(1);
        assertThat(atPort.total(Slot.BYTES_IN)).isEqualTo(15);
        final Probe to = Endpoints.probeOf(Endpoints.cellOf(client.impl));
        assertThat(to.name()).isEqualTo("net.socket to " + at);
        assertThat(to.total(Slot.OPENED)).isEqualTo(1);
        assertThat(to.total(Slot.BYTES_OUT)).isEqualTo(15);
        assertThat(to.total(Slot.PARTIAL)).isEqualTo(1);
        assertThat(read.total(Slot.BYTES_IN)).isEqualTo(15);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(15);
        assertThat(connections.total(Slot.OPENED)).isEqualTo(2);

        // The close advice runs while the socket is still connected: it adopts a marked socket first.
        for (ClassicSocket s : List.of(closedByAdvice, acceptedClosedByAdvice, client, accepted)) {
            Endpoints.socketClosed(connections.id(), s.impl);
            s.call("close");
            assertThat(Endpoints.cellOf(s.impl)).isZero();
        }
        assertThat(to.total(Slot.OPENED)).isEqualTo(2);
        assertThat(to.total(Slot.CLOSED)).isEqualTo(2);
        assertThat(atPort.total(Slot.OPENED)).isEqualTo(2);
        assertThat(atPort.total(Slot.CLOSED)).isEqualTo(2);
        assertThat(connections.total(Slot.OPENED)).isEqualTo(4);
        assertThat(connections.total(Slot.CLOSED)).isEqualTo(4);
        for (ClassicSocket early : List.of(closedEarly, acceptedClosedEarly)) {
            assertThat(Endpoints.cellOf(early.impl)).isEqualTo(Endpoints.PENDING);
            Endpoints.close(early.impl);
        }
        server.call("close");
    }

    /**
     * A {@code sun.nio.ch.NioSocketImpl} constructed as {@link FirstUse#constructed} marks one before the advice (the
     * constructor of a class still defined with the first-use call), and driven by its own methods, as
     * {@code java.net.Socket} and {@code ServerSocket} drive it.
     */
    private record ClassicSocket(Object impl) {
        static ClassicSocket constructed(boolean server) throws Exception {
            final Object impl = Class.forName("sun.nio.ch.NioSocketImpl")
                    .getConstructor(boolean.class)
                    .newInstance(server);
            Endpoints.pending(impl, false);
            return new ClassicSocket(impl);
        }

        static ClassicSocket connectedTo(java.net.SocketAddress remote) throws Exception {
            final ClassicSocket s = constructed(false);
            s.call("create", true);
            s.call("connect", remote, 0);
            return s;
        }

        static ClassicSocket acceptedBy(ClassicSocket server) throws Exception {
            final ClassicSocket s = constructed(false);
            server.call("accept", s.impl);
            return s;
        }

        void call(String method, Object... args) throws Exception {
            for (java.lang.reflect.Method m : impl.getClass().getDeclaredMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length && fits(m, args)) {
                    m.setAccessible(true);
                    m.invoke(impl, args);
                    return;
                }
            }
            throw new NoSuchMethodException(method);
        }

        private static boolean fits(java.lang.reflect.Method m, Object[] args) {
            final Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                final Class<?> t = types[i].isPrimitive() ? wrapper(types[i]) : types[i];
                if (!t.isInstance(args[i])) {
                    return false;
                }
            }
            return true;
        }

        private static Class<?> wrapper(Class<?> primitive) {
            return primitive == boolean.class ? Boolean.class : Integer.class;
        }
    }

    /**
     * A timed call's entry hands its exit its start time and whether the channel had an endpoint probe, in the one
     * value it returns: the latency recorded is the time between them and the call is counted once, on the endpoint.
     * A timed write whose channel was closed while it ran (its endpoint probe detached) is counted once, on the
     * operation.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aTimedCallCarriesItsStartAndItsEndpointFromEntryToExit() throws Exception {
        final String family = unique("family");
        final Probe write =
                Probes.register(unique("write"), PathKind.IPC, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE));
        Endpoints.streamOperation(family, true, write);
        final Object channel = new Object();
        Endpoints.open(channel, family + " to", unique("peer"));
        final Probe e = Endpoints.attached(channel);
        e.sampleMask(0);
        final long token = Endpoints.beginWrite(channel, null, write.id(), write.id());
        assertThat(token).as("timed").isLessThan(Endpoints.PENDING_ACCEPTED);
        Thread.sleep(20);
        Endpoints.writeDone(channel, null, write.id(), write.id(), token, 64, ByteBuffer.allocate(0), null);
        assertThat(e.total(Slot.IN)).isEqualTo(1);
        assertThat(e.total(Slot.BYTES_OUT)).isEqualTo(64);
        assertThat(e.total(Slot.PARTIAL)).isZero();
        assertThat(write.total(Slot.CALLS)).isEqualTo(1);
        final long[] latency = new long[BucketHistogram.LENGTH];
        assertThat(write.readDist(Dist.LATENCY, latency)).isTrue();
        assertThat(BucketHistogram.count(latency)).isEqualTo(1);
        assertThat(latency[BucketHistogram.SUM_INDEX]).isBetween(20_000_000L, 20_000_000_000L);

        final long closing = Endpoints.beginWrite(channel, null, write.id(), write.id());
        assertThat(closing).as("timed").isLessThan(Endpoints.PENDING_ACCEPTED);
        Endpoints.close(channel);
        Endpoints.writeDone(channel, null, write.id(), write.id(), closing, 32, ByteBuffer.allocate(1), null);
        assertThat(e.total(Slot.IN)).isEqualTo(1);
        assertThat(write.total(Slot.CALLS)).isEqualTo(2);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(96);
        assertThat(write.total(Slot.PARTIAL)).isEqualTo(1);
        assertThat(write.readDist(Dist.LATENCY, latency)).isTrue();
        assertThat(BucketHistogram.count(latency)).isEqualTo(2);
    }

    /**
     * A gathering write is partial when the buffers of its range have bytes left after it returned, whatever the
     * buffers outside the range hold; one that threw is an error, counted as a call, not as partial.
     */
    @Test
    void aGatheringWriteIsPartialWhenTheBuffersOfItsRangeHaveBytesLeft() {
        final String family = unique("family");
        final Probe write = Probes.register(unique("write"), PathKind.IPC, 0);
        Endpoints.streamOperation(family, true, write);
        final Object attached = new Object();
        Endpoints.open(attached, family + " to", unique("peer"));
        final Object unattached = new Object();
        final ByteBuffer[] srcs = {ByteBuffer.allocate(4), ByteBuffer.allocate(0), ByteBuffer.allocate(0)};
        for (Object channel : new Object[] {attached, unattached}) {
            for (Throwable thrown : new Throwable[] {null, new java.io.IOException("test")}) {
                for (int offset : new int[] {0, 1}) {
                    final long token = Endpoints.beginWrite(channel, null, write.id(), write.id());
                    Endpoints.gatheringWriteDone(
                            channel, null, write.id(), write.id(), token, 5, srcs, offset, 2, thrown);
                }
            }
        }
        assertThat(Endpoints.attached(attached).total(Slot.IN)).isEqualTo(4);
        assertThat(Endpoints.attached(attached).total(Slot.PARTIAL)).isEqualTo(1);
        assertThat(write.total(Slot.CALLS)).isEqualTo(8);
        assertThat(write.total(Slot.BYTES_OUT)).isEqualTo(20);
        assertThat(write.total(Slot.PARTIAL)).isEqualTo(2);
        assertThat(write.total(Slot.ERRORS)).isEqualTo(4);
        Endpoints.close(attached);
    }
}
