package io.hotpath.agent.instrument.net;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.net.ProtocolFamily;
import java.nio.channels.SocketChannel;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code sun.nio.ch.ServerSocketChannelImpl}, the JDK's {@code ServerSocketChannel}: each accepted
 * TCP or UNIX-domain connection, named by the listening address.
 */
final class ServerSocketChannelAdvice {
    private ServerSocketChannelAdvice() {}

    /** ServerSocketChannel.accept: a connection opened, named by the listening address. */
    static final class Accept {
        private Accept() {}

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int tcp,
                @UnixProbeId int uds,
                @Advice.FieldValue("family") ProtocolFamily family,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.Return SocketChannel accepted) {
            if (accepted != null) {
                Endpoints.streamOpened(family, tcp, uds, accepted, true, local);
            }
        }
    }
}
