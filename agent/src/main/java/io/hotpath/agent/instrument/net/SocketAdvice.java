package io.hotpath.agent.instrument.net;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into the JDK's socket implementations ({@code sun.nio.ch.SocketChannelImpl},
 * {@code ServerSocketChannelImpl}, {@code DatagramChannelImpl}, {@code NioSocketImpl}). Every call is counted and a
 * sample is timed. A socket channel read or write is counted once: on the channel's endpoint probe when it has one
 * (calls and bytes), the per-operation probe summing its endpoints when read ({@link Endpoints#streamOperation}), else
 * on the per-operation probe; datagrams and classic sockets count on both. No allocation, no lock: field reads,
 * identity-hash lookup, striped adds.
 *
 * <p>NIO socket channels the agent itself opened (its OTLP export, {@link io.hotpath.bootstrap.ipc.AgentThreads}) are
 * marked when they connect and then counted nowhere: each read and write looks up the channel's cell once on entry,
 * the lookup the endpoint attribution needs anyway, and skips the counting for the agent's own.
 */
final class SocketAdvice {
    /** {@code SocketChannelImpl.ST_CONNECTED}, the same on JDK 17 to 25 (checked by the it-tests). */
    static final int CHANNEL_CONNECTED = 2;
    /** {@code NioSocketImpl.ST_CONNECTED}, the same on JDK 17 to 25. */
    static final int SOCKET_CONNECTED = 3;

    private SocketAdvice() {}

    /** SocketChannel.read(ByteBuffer): calls, bytes in, sampled latency. */
    static final class ChannelReadInt {
        private ChannelReadInt() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.This Object self,
                @Advice.Local("cell") long cell) {
            final Probe p = Probes.get(family == StandardProtocolFamily.UNIX ? uds : tcp);
            try {
                cell = Endpoints.cellOf(self);
                return Endpoints.beginRead(p, cell);
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.Local("cell") long cell,
                @Advice.Enter long start,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.readDone(family == StandardProtocolFamily.UNIX ? uds : tcp, cell, start, n, thrown);
        }
    }

    /** SocketChannel.read(ByteBuffer[], int, int): scattering read. */
    static final class ChannelReadLong {
        private ChannelReadLong() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.This Object self,
                @Advice.Local("cell") long cell) {
            final Probe p = Probes.get(family == StandardProtocolFamily.UNIX ? uds : tcp);
            try {
                cell = Endpoints.cellOf(self);
                return Endpoints.beginRead(p, cell);
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.Local("cell") long cell,
                @Advice.Enter long start,
                @Advice.Return long n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.readDone(family == StandardProtocolFamily.UNIX ? uds : tcp, cell, start, n, thrown);
        }
    }

    /** SocketChannel.write(ByteBuffer): calls, bytes out, partial writes, sampled latency. */
    static final class ChannelWriteInt {
        private ChannelWriteInt() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.This Object self,
                @Advice.Local("cell") long cell,
                @Advice.Argument(0) ByteBuffer src,
                @Advice.Local("offered") long offered) {
            final Probe p = Probes.get(family == StandardProtocolFamily.UNIX ? uds : tcp);
            try {
                offered = src.remaining();
                cell = Endpoints.cellOf(self);
                return Endpoints.beginWrite(p, cell);
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.Local("cell") long cell,
                @Advice.Enter long start,
                @Advice.Local("offered") long offered,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.writeDone(family == StandardProtocolFamily.UNIX ? uds : tcp, cell, start, n, offered, thrown);
        }
    }

    /** SocketChannel.write(ByteBuffer[], int, int): gathering write; offered bytes summed over the given range. */
    static final class ChannelWriteLong {
        private ChannelWriteLong() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.This Object self,
                @Advice.Local("cell") long cell,
                @Advice.Argument(0) ByteBuffer[] srcs,
                @Advice.Argument(1) int offset,
                @Advice.Argument(2) int length,
                @Advice.Local("offered") long offered) {
            final Probe p = Probes.get(family == StandardProtocolFamily.UNIX ? uds : tcp);
            try {
                // Proportional to the call's own work: the JDK walks the same buffers to build its iovec.
                long sum = 0;
                for (int i = offset, end = offset + length; i < end; i++) {
                    sum += srcs[i].remaining();
                }
                offered = sum;
                cell = Endpoints.cellOf(self);
                return Endpoints.beginWrite(p, cell);
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.Local("cell") long cell,
                @Advice.Enter long start,
                @Advice.Local("offered") long offered,
                @Advice.Return long n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.writeDone(family == StandardProtocolFamily.UNIX ? uds : tcp, cell, start, n, offered, thrown);
        }
    }

    /** SocketChannel.connect / finishConnect: a connection opened when the state turned connected. */
    static final class ChannelConnect {
        private ChannelConnect() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int enter(@Advice.FieldValue("state") int state) {
            return state;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.This Object self,
                @Advice.Enter int before,
                @Advice.FieldValue("state") int after) {
            final boolean unix = family == StandardProtocolFamily.UNIX;
            final Probe p = Probes.get(unix ? uds : tcp);
            try {
                if (before != CHANNEL_CONNECTED && after == CHANNEL_CONNECTED && !Endpoints.excluded(self)) {
                    p.increment(Slot.OPENED);
                    Endpoints.open(self, unix ? "net.uds to" : "net.tcp to", remote);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** ServerSocketChannel.accept: a connection opened, named by the listening address. */
    static final class ChannelAccept {
        private ChannelAccept() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.Return SocketChannel accepted) {
            final boolean unix = family == StandardProtocolFamily.UNIX;
            final Probe p = Probes.get(unix ? uds : tcp);
            try {
                if (accepted != null && !Endpoints.excluded(accepted)) {
                    p.increment(Slot.OPENED);
                    Endpoints.open(accepted, unix ? "net.uds at" : "net.tcp at", local);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** SocketChannel close: a connection closed when it was connected. */
    static final class ChannelClose {
        private ChannelClose() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.FieldValue("state") int state,
                @Advice.This Object self) {
            final Probe p = Probes.get(family == StandardProtocolFamily.UNIX ? uds : tcp);
            try {
                if (state == CHANNEL_CONNECTED && !Endpoints.closedAgent(self, Endpoints.cellOf(self))) {
                    p.increment(Slot.CLOSED);
                    Endpoints.close(self);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** DatagramChannel send(ByteBuffer, SocketAddress) and write(ByteBuffer): datagrams and bytes sent. */
    static final class DatagramSend {
        private DatagramSend() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) ByteBuffer src, @Advice.Local("offered") long offered) {
            final Probe p = Probes.get(id);
            try {
                offered = src.remaining();
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.Enter long start,
                @Advice.Local("offered") long offered,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                Endpoints.datagramSent(p, self, local, remote, n, offered);
                p.end(start);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /**
     * java.net.DatagramSocket receive(DatagramPacket), on the JDK's socket adaptor of a datagram channel: the packet's
     * length once it returned. (Its send reaches the channel's own send, which is instrumented already.)
     */
    static final class SocketDatagramReceive {
        private SocketDatagramReceive() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This DatagramSocket self,
                @Advice.FieldValue("dc") Object channel,
                @Advice.Argument(0) DatagramPacket packet,
                @Advice.Enter long start,
                @Advice.Thrown Throwable thrown) {
            Endpoints.datagramSocketReceived(Probes.get(id), channel, self, packet.getLength(), start, thrown);
        }
    }

    /** DatagramChannel receive(ByteBuffer): datagrams and bytes received (buffer position moved). */
    static final class DatagramReceive {
        private DatagramReceive() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) ByteBuffer dst, @Advice.Local("pos") int pos) {
            final Probe p = Probes.get(id);
            try {
                pos = dst.position();
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.Argument(0) ByteBuffer dst,
                @Advice.Enter long start,
                @Advice.Local("pos") int pos,
                @Advice.Return Object from,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                if (from != null) {
                    Endpoints.datagramReceived(p, self, local, remote, dst.position() - pos);
                }
                p.end(start);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** DatagramChannel read(ByteBuffer) on a connected channel: datagrams and bytes received. */
    static final class DatagramRead {
        private DatagramRead() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.Enter long start,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                if (n >= 0) {
                    Endpoints.datagramReceived(p, self, local, remote, n);
                }
                p.end(start);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** Classic socket input stream: NioSocketImpl.read(byte[], int, int). */
    static final class StreamRead {
        private StreamRead() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Enter long start,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                Endpoints.read(p, self, n);
                p.end(start);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** Classic socket output stream: NioSocketImpl.write(byte[], int, int) writes all {@code len} bytes or throws. */
    static final class StreamWrite {
        private StreamWrite() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Argument(2) int len,
                @Advice.Enter long start,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                Endpoints.written(p, self, len, len);
                if (start != 0L) {
                    // sampled with the call's latency
                    p.record(Dist.SIZE, len);
                    p.end(start);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** Classic socket: NioSocketImpl.implWrite(byte[], int, int), one kernel write; fewer bytes than asked = partial. */
    static final class StreamPartial {
        private StreamPartial() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.This Object self, @Advice.Argument(2) int len, @Advice.Return int n) {
            final Probe p = Probes.get(id);
            try {
                if (n < len) {
                    Endpoints.partial(p, self);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** Classic socket connect: a connection opened when the state turned connected, named by the remote address. */
    static final class StreamConnect {
        private StreamConnect() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int enter(@Advice.FieldValue("state") int state) {
            return state;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Argument(0) Object remote,
                @Advice.Enter int before,
                @Advice.FieldValue("state") int after) {
            final Probe p = Probes.get(id);
            try {
                if (before != SOCKET_CONNECTED && after == SOCKET_CONNECTED) {
                    p.increment(Slot.OPENED);
                    Endpoints.open(self, "net.socket to", remote);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /**
     * Classic server socket accept(SocketImpl): the accepted socket is open when accept returns normally; it is named
     * by the listening port (the server's own {@code localport}), so clients' ephemeral ports do not multiply names.
     */
    static final class StreamAccept {
        private StreamAccept() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.Argument(0) Object accepted,
                @Advice.FieldValue("localport") int port,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown == null) {
                    p.increment(Slot.OPENED);
                    Endpoints.openPort(accepted, "net.socket at", port);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** Classic socket close: counted when the socket was connected. */
    static final class StreamClose {
        private StreamClose() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id, @Advice.FieldValue("state") int state, @Advice.This Object self) {
            final Probe p = Probes.get(id);
            try {
                if (state == SOCKET_CONNECTED) {
                    p.increment(Slot.CLOSED);
                    Endpoints.close(self);
                }
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** DatagramChannel close: detaches the channel's endpoint probe, counting it closed there. */
    static final class DatagramClose {
        private DatagramClose() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id, @Advice.This Object self) {
            try {
                Endpoints.close(self);
            } catch (Throwable t) {
                Probes.get(id).fail(t);
            }
        }
    }
}
