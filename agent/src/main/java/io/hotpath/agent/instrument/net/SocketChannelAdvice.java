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
 * family, final), an identity-hash lookup, striped adds.
 *
 * <p>Small on purpose. The advice is copied into the JDK's read and write, and a JIT inlines a hot method only up to a
 * bytecode size ({@code -XX:FreqInlineSize}, 325 bytes): past it, a caller such as Netty's
 * {@code NioSocketChannel.doWrite} calls the JDK's write out of line and loses what inlining it would have given. So
 * each advised read and write makes one call on entry and one on exit, with no advice local but the one value the
 * entry returns ({@link Endpoints#beginWrite}), the arguments not copied ({@code backupArguments = false}: the JDK's
 * methods never assign their parameters), and the bytes offered not read on entry: after the call the buffers hold
 * exactly what the write did not take ({@link Endpoints#writeDone}).
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
                @Advice.This Object self,
                @Advice.FieldValue("family") ProtocolFamily family,
                @ProbeId int tcp,
                @UnixProbeId int uds) {
            return Endpoints.beginRead(self, family, tcp, uds);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(
                @Advice.This Object self,
                @Advice.FieldValue("family") ProtocolFamily family,
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.Enter long token,
                @Advice.Return long n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.readDone(self, family, tcp, uds, token, n, thrown);
        }
    }

    /** SocketChannel.write(ByteBuffer): calls, bytes out, partial writes, sampled latency. */
    static final class Write {
        private Write() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @Advice.This Object self,
                @Advice.FieldValue("family") ProtocolFamily family,
                @ProbeId int tcp,
                @UnixProbeId int uds) {
            return Endpoints.beginWrite(self, family, tcp, uds);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(
                @Advice.This Object self,
                @Advice.FieldValue("family") ProtocolFamily family,
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.Enter long token,
                @Advice.Return long n,
                @Advice.Argument(0) ByteBuffer src,
                @Advice.Thrown Throwable thrown) {
            Endpoints.writeDone(self, family, tcp, uds, token, n, src, thrown);
        }
    }

    /**
     * SocketChannel.write(ByteBuffer[], int, int): gathering write, as {@link Write}, partial when the buffers of the
     * given range have bytes left ({@link Endpoints#gatheringWriteDone}). Its entry is {@link Write}'s.
     */
    static final class GatheringWrite {
        private GatheringWrite() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(
                @Advice.This Object self,
                @Advice.FieldValue("family") ProtocolFamily family,
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.Enter long token,
                @Advice.Return long n,
                @Advice.Argument(0) ByteBuffer[] srcs,
                @Advice.Argument(1) int offset,
                @Advice.Argument(2) int length,
                @Advice.Thrown Throwable thrown) {
            Endpoints.gatheringWriteDone(self, family, tcp, uds, token, n, srcs, offset, length, thrown);
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
