package io.hotpath.agent.instrument.net;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code sun.nio.ch.SocketChannelImpl}, the JDK's {@code SocketChannel} for TCP and (since JDK 16)
 * UNIX-domain stream sockets, told apart by the channel's protocol family. A read or write is counted once: on the
 * channel's endpoint probe when it has one (calls and bytes), the per-operation probe summing its endpoints when read
 * ({@link Endpoints#streamOperation}), else on the per-operation probe. No allocation, no lock: one field read (the
 * family, final), an identity-hash lookup, striped adds. The entry picks the TCP or UNIX-domain probe by the channel's
 * family ({@link Endpoints#streamProbe}) and keeps it, with the channel's endpoint cell, in locals the exit reads.
 *
 * <p>A channel constructed before its class had the advice ({@link Endpoints#PENDING}) is adopted on its first read,
 * write or close: counted as opened, with its endpoint probe, as its connect or accept would have done. Its state and
 * addresses are read then, by the core ({@link Endpoints#streamCell}), not by every read and write.
 *
 * <p>Channels the agent itself opened (its OTLP export, {@link io.hotpath.bootstrap.ipc.AgentThreads}) are marked when
 * they connect and then counted nowhere: each read and write looks up the channel's cell once on entry, the lookup the
 * endpoint attribution needs anyway, and skips the counting for the agent's own.
 */
final class SocketChannelAdvice {
    private SocketChannelAdvice() {}

    /**
     * SocketChannel.read(ByteBuffer) and the scattering read(ByteBuffer[], int, int): calls, bytes in, sampled latency.
     * (The first returns an int, the second a long; both widen to the long the exit takes.)
     */
    static final class Read {
        private Read() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.This Object self,
                @Advice.Local("id") int id,
                @Advice.Local("cell") long cell) {
            id = Endpoints.streamProbe(family, tcp, uds);
            cell = Endpoints.streamCell(self, family, tcp, uds);
            return Endpoints.beginRead(id, cell);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.Local("id") int id,
                @Advice.Local("cell") long cell,
                @Advice.Enter long start,
                @Advice.Return long n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.readDone(id, cell, start, n, thrown);
        }
    }

    /** SocketChannel.write(ByteBuffer): calls, bytes out, partial writes, sampled latency. */
    static final class Write {
        private Write() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.This Object self,
                @Advice.Local("cell") long cell,
                @Advice.Argument(0) ByteBuffer src,
                @Advice.Local("offered") long offered,
                @Advice.Local("id") int id) {
            id = Endpoints.streamProbe(family, tcp, uds);
            offered = src.remaining();
            cell = Endpoints.streamCell(self, family, tcp, uds);
            return Endpoints.beginWrite(id, cell);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.Local("id") int id,
                @Advice.Local("cell") long cell,
                @Advice.Enter long start,
                @Advice.Local("offered") long offered,
                @Advice.Return long n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.writeDone(id, cell, start, n, offered, thrown);
        }
    }

    /**
     * SocketChannel.write(ByteBuffer[], int, int): gathering write, as {@link Write}, with the bytes offered summed over
     * the given range ({@link Endpoints#remaining}). Its exit is {@link Write}'s.
     */
    static final class GatheringWrite {
        private GatheringWrite() {}

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
                @Advice.Local("offered") long offered,
                @Advice.Local("id") int id) {
            id = Endpoints.streamProbe(family, tcp, uds);
            offered = Endpoints.remaining(srcs, offset, length);
            cell = Endpoints.streamCell(self, family, tcp, uds);
            return Endpoints.beginWrite(id, cell);
        }
    }

    /** SocketChannel.connect / finishConnect: a connection opened when the state turned connected. */
    static final class Connect {
        private Connect() {}

        /** Exit; the entry is {@link StateBefore}. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.This Object self,
                @Advice.Enter int before,
                @Advice.FieldValue("state") int after) {
            if (before != Endpoints.STREAM_CONNECTED && after == Endpoints.STREAM_CONNECTED) {
                Endpoints.streamOpened(family, tcp, uds, self, false, remote);
            }
        }
    }

    /** SocketChannel close: a connection closed when it was connected. */
    static final class Close {
        private Close() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.FieldValue("state") int state,
                @Advice.This Object self) {
            if (state == Endpoints.STREAM_CONNECTED) {
                Endpoints.streamClosed(self, family, tcp, uds);
            }
        }
    }
}
