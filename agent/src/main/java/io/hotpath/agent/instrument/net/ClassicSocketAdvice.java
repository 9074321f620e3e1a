package io.hotpath.agent.instrument.net;

import io.hotpath.agent.instrument.advice.CallAdvice;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.ipc.Endpoints;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code sun.nio.ch.NioSocketImpl}, the implementation behind {@code java.net.Socket} and
 * {@code ServerSocket} since JDK 13: stream reads and writes, partial kernel writes, connections opened, accepted and
 * closed. Each is counted on the operation probe and on the socket's endpoint probe.
 *
 * <p>A socket constructed before its class had the advice ({@link Endpoints#PENDING}) and connected or accepted
 * meanwhile is adopted on its first read, write or close: counted opened, with the endpoint probe its connect or accept
 * would have named. Its state is read then, by the core, not by every read and write.
 */
final class ClassicSocketAdvice {
    private ClassicSocketAdvice() {}

    /** Socket input stream: NioSocketImpl.read(byte[], int, int). */
    static final class Read {
        private Read() {}

        /** Exit; the entry is {@link CallAdvice.Begin}. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Enter long start,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            Endpoints.streamReadDone(id, self, start, n, thrown);
        }
    }

    /** Socket output stream: NioSocketImpl.write(byte[], int, int) writes all {@code len} bytes or throws. */
    static final class Write {
        private Write() {}

        /** Exit; the entry is {@link CallAdvice.Begin}. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Argument(2) int len,
                @Advice.Enter long start,
                @Advice.Thrown Throwable thrown) {
            Endpoints.streamWriteDone(id, self, start, len, thrown);
        }
    }

    /** NioSocketImpl.implWrite(byte[], int, int), one kernel write; fewer bytes than asked = partial. */
    static final class PartialWrite {
        private PartialWrite() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int id, @Advice.This Object self, @Advice.Argument(2) int len, @Advice.Return int n) {
            if (n < len) {
                Endpoints.partial(id, self);
            }
        }
    }

    /** Socket connect: a connection opened when the state turned connected, named by the remote address. */
    static final class Connect {
        private Connect() {}

        /** Exit; the entry is {@link StateBefore}. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.Argument(0) Object remote,
                @Advice.Enter int before,
                @Advice.FieldValue("state") int after) {
            if (before != Endpoints.SOCKET_CONNECTED && after == Endpoints.SOCKET_CONNECTED) {
                Endpoints.socketOpened(id, self, Endpoints.SOCKET_TO, remote);
            }
        }
    }

    /**
     * Server socket accept(SocketImpl): the accepted socket is open when accept returns normally; it is named by the
     * listening port (the server's own {@code localport}), so clients' ephemeral ports do not multiply names.
     */
    static final class Accept {
        private Accept() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.Argument(0) Object accepted,
                @Advice.FieldValue("localport") int port,
                @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                Endpoints.socketAccepted(id, accepted, Endpoints.SOCKET_AT, port);
            }
        }
    }

    /** Socket close: counted when the socket was connected. */
    static final class Close {
        private Close() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id, @Advice.FieldValue("state") int state, @Advice.This Object self) {
            if (state == Endpoints.SOCKET_CONNECTED) {
                Endpoints.socketClosed(id, self);
            }
        }
    }
}
