package io.hotpath.bootstrap.ipc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The state of a {@code sun.nio.ch.NioSocketImpl}, the implementation behind {@code java.net.Socket} and
 * {@code ServerSocket}, that adopting a classic socket reads ({@link Endpoints#socketCell}): whether it is connected,
 * its remote address and port, its local port; and the server sockets constructed while the advice was being built,
 * whose ports tell a connection they accepted from one the program opened.
 *
 * <p>Why the server sockets are kept: a socket's implementation is the same class whether it connected or was
 * accepted, and nothing in it tells the two apart once connected (both were constructed by a plain constructor, and
 * accept fills the same fields connect does). A socket accepted while the advice was being built was accepted on one of
 * the server sockets constructed meanwhile, so its local port is theirs; a socket the program connected has an
 * ephemeral local port, which the kernel never hands out while a socket is bound to it. The server sockets are held in
 * a fixed table of {@link #MAX_LISTENING} ({@link #listening}), from their constructor until a later adoption finds
 * them closed; past that, a connection they accepted meanwhile is named as one this process opened.
 *
 * <p>The JDK writes the addresses and ports before it stores the connected state (a volatile field, under the socket's
 * state lock), so a read of the state that sees it connected is followed by reads that see them. The field names and
 * types are the same on JDK 17 and 25; {@code NioSocketImpl}'s own fields are private and the others are protected
 * fields of {@code java.net.SocketImpl}, read through the subclass, so access needs {@code java.base} to open
 * {@code sun.nio.ch} to the recording core's module, as for {@link SocketChannelFields}. Without it the getters are
 * null and no classic socket is adopted.
 */
final class ClassicSocketFields {
    /** {@code NioSocketImpl.ST_CLOSING}: this state and the next (closed) are a socket that is no longer open. */
    private static final int CLOSING = 4;

    /** How many server sockets constructed in the advice's build window are kept to name what they accepted. */
    static final int MAX_LISTENING = 64;

    private static final Class<?> TYPE;
    private static final MethodHandle STATE;
    private static final MethodHandle SERVER;
    private static final MethodHandle ADDRESS;
    private static final MethodHandle PORT;
    private static final MethodHandle LOCAL_PORT;

    private static final AtomicReferenceArray<Object> LISTENING = new AtomicReferenceArray<>(MAX_LISTENING);

    static {
        Class<?> type = null;
        MethodHandle state = null;
        MethodHandle server = null;
        MethodHandle address = null;
        MethodHandle port = null;
        MethodHandle localPort = null;
        try {
            type = Class.forName("sun.nio.ch.NioSocketImpl", false, null);
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            state = SocketChannelFields.getter(lookup, type, "state", int.class);
            server = SocketChannelFields.getter(lookup, type, "server", boolean.class);
            address = SocketChannelFields.getter(lookup, type, "address", InetAddress.class);
            port = SocketChannelFields.getter(lookup, type, "port", int.class);
            localPort = SocketChannelFields.getter(lookup, type, "localport", int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            state = null; // not opened to us, or the fields changed: see the class comment
        }
        TYPE = type;
        STATE = state;
        SERVER = server;
        ADDRESS = address;
        PORT = port;
        LOCAL_PORT = localPort;
    }

    private ClassicSocketFields() {}

    /** Whether the fields are readable: the agent opened {@code sun.nio.ch} to the recording core. */
    static boolean available() {
        return STATE != null;
    }

    /**
     * Keeps {@code owner} when it is a server socket's implementation, constructed while the advice was being built
     * ({@link FirstUse}), and then returns true: it makes no connection of its own to adopt. Allocation-free; a server
     * socket past a full table is not kept.
     */
    static boolean listening(Object owner) {
        final MethodHandle server = SERVER;
        try {
            if (server == null || owner.getClass() != TYPE || !(boolean) server.invokeExact(owner)) {
                return false;
            }
        } catch (Throwable t) {
            return false; // the getter of a final field of the class checked: cannot throw
        }
        for (int i = 0; i < MAX_LISTENING; i++) {
            if (LISTENING.get(i) == null && LISTENING.compareAndSet(i, null, owner)) {
                return true;
            }
        }
        return true;
    }

    /** Whether {@code socket} (a {@code NioSocketImpl}) is connected; its addresses may be read after this. */
    static boolean connected(Object socket) throws Throwable {
        final MethodHandle state = STATE;
        return state != null
                && socket.getClass() == TYPE
                && (int) state.invokeExact(socket) == Endpoints.SOCKET_CONNECTED;
    }

    /** The socket's local port: the listening port of a connection it accepted. After {@link #connected}. */
    static int localPort(Object socket) throws Throwable {
        return (int) LOCAL_PORT.invokeExact(socket);
    }

    /** The socket's remote address and port, as its connect was given them. After {@link #connected}. */
    static Object remote(Object socket) throws Throwable {
        final Object address = (Object) ADDRESS.invokeExact(socket);
        return new java.net.InetSocketAddress((InetAddress) address, (int) PORT.invokeExact(socket));
    }

    /**
     * Whether a connected {@code socket} was accepted by a server socket kept by {@link #listening}: its local port is
     * one such server socket's. Server sockets found closed are let go.
     */
    static boolean accepted(Object socket) throws Throwable {
        final int port = localPort(socket);
        boolean accepted = false;
        for (int i = 0; i < MAX_LISTENING; i++) {
            final Object server = LISTENING.get(i);
            if (server == null) {
                continue;
            }
            if ((int) STATE.invokeExact(server) >= CLOSING) {
                LISTENING.compareAndSet(i, server, null);
            } else if (localPort(server) == port) {
                accepted = true;
            }
        }
        return accepted;
    }
}
