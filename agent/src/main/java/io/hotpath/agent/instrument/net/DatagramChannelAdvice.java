package io.hotpath.agent.instrument.net;

import io.hotpath.agent.instrument.advice.CallAdvice;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code sun.nio.ch.DatagramChannelImpl}, the JDK's {@code DatagramChannel} (UDP): datagrams and
 * bytes sent and received, counted on the operation probe and on the channel's endpoint probe, attached at its first
 * datagram ({@link Endpoints#datagramSent}).
 */
final class DatagramChannelAdvice {
    private DatagramChannelAdvice() {}

    /** DatagramChannel send(ByteBuffer, SocketAddress) and write(ByteBuffer): datagrams and bytes sent. */
    static final class Send {
        private Send() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) ByteBuffer src, @Advice.Local("offered") long offered) {
            offered = src.remaining();
            return Probes.begin(id);
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
            Endpoints.sendDone(id, self, local, remote, start, n, offered, thrown);
        }
    }

    /**
     * DatagramChannel receive(ByteBuffer): datagrams and bytes received (buffer position moved); a null sender means
     * no datagram was waiting.
     */
    static final class Receive {
        private Receive() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) ByteBuffer dst, @Advice.Local("pos") int pos) {
            pos = dst.position();
            return Probes.begin(id);
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
            Endpoints.receiveDone(id, self, local, remote, start, from != null ? dst.position() - pos : -1, thrown);
        }
    }

    /** DatagramChannel read(ByteBuffer) on a connected channel: datagrams and bytes received (-1: none). */
    static final class Read {
        private Read() {}

        /** Exit; the entry is {@link CallAdvice.Begin}. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.Enter long start,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.receiveDone(id, self, local, remote, start, n, thrown);
        }
    }

    /** DatagramChannel close: detaches the channel's endpoint probe, counting it closed there. */
    static final class Close {
        private Close() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id, @Advice.This Object self) {
            Endpoints.datagramChannelClosed(id, self);
        }
    }
}
