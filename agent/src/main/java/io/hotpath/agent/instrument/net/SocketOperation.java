package io.hotpath.agent.instrument.net;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.util.function.Consumer;

/**
 * The socket operation probes: the one table that both the registration at the agent's start
 * ({@link SocketsModule#registerProbes}) and the advice bindings ({@link SocketsModule}'s mappings) read, so an
 * operation cannot be registered under one name or distribution and bound under another. Loads nothing of Byte Buddy:
 * the registration runs in premain.
 */
enum SocketOperation {
    TCP_READ("net.tcp#read", Kind.IO, probe -> Endpoints.streamOperation("net.tcp", false, probe)),
    TCP_WRITE("net.tcp#write", Kind.IO, probe -> Endpoints.streamOperation("net.tcp", true, probe)),
    TCP_CONNECTIONS("net.tcp#connections", 0, probe -> Endpoints.connections("net.tcp", probe)),
    UDS_READ("net.uds#read", Kind.IO, probe -> Endpoints.streamOperation("net.uds", false, probe)),
    UDS_WRITE("net.uds#write", Kind.IO, probe -> Endpoints.streamOperation("net.uds", true, probe)),
    UDS_CONNECTIONS("net.uds#connections", 0, probe -> Endpoints.connections("net.uds", probe)),
    UDP_SEND("net.udp#send", Kind.IO, probe -> {}),
    UDP_RECEIVE("net.udp#receive", Kind.IO, probe -> {}),
    SOCKET_READ("net.socket#read", Kind.IO, probe -> {}),
    SOCKET_WRITE("net.socket#write", Kind.IO, probe -> {}),
    SOCKET_CONNECTIONS("net.socket#connections", 0, probe -> Endpoints.connections("net.socket", probe));

    /** The default probe name, before the user's renames. */
    final String probeName;

    /** The distributions ({@link Dist#bit}) the probe records. */
    final int dists;

    /**
     * What the probe is declared as it is registered: a stream channel read or write probe is the sum of its family's
     * endpoints ({@link Endpoints#streamOperation}); a connections probe is where a connection adopted on its first
     * read, write or close is counted opened ({@link Endpoints#connections}).
     */
    final Consumer<Probe> onRegistered;

    SocketOperation(String probeName, int dists, Consumer<Probe> onRegistered) {
        this.probeName = probeName;
        this.dists = dists;
        this.onRegistered = onRegistered;
    }

    /** Holds the constant an enum constant's arguments may name (a constant of the enum's own is not yet defined). */
    private static final class Kind {
        /** The distributions of a read, write, send or receive probe. */
        static final int IO = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE);

        private Kind() {}
    }
}
