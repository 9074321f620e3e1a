package io.hotpath.bootstrap.ipc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;

/**
 * The connection state of a {@code sun.nio.ch.SocketChannelImpl} that adopting a channel reads ({@link
 * Endpoints#streamCell}): whether it is connected, and its remote and local addresses. Read here, once in a channel's
 * life, rather than by the read and write advice, which would otherwise load three more of the channel's fields on
 * every call for a branch almost no call takes.
 *
 * <p>The JDK writes both addresses before it stores the connected state (a volatile field), so a read of the state that
 * sees it connected is followed by reads that see the addresses. The field names and types are the same on JDK 17 and
 * 25; they are private, so access needs {@code java.base} to open {@code sun.nio.ch} to the recording core's module,
 * which the agent does before it instruments the class. Without it (the core used on its own, or a JDK whose fields
 * differ) the getters are null and no channel is adopted: one constructed before its class had the advice is counted
 * on its operation probe only, with no endpoint probe.
 */
final class SocketChannelFields {
    private static final MethodHandle STATE;
    private static final MethodHandle REMOTE;
    private static final MethodHandle LOCAL;

    static {
        MethodHandle state = null;
        MethodHandle remote = null;
        MethodHandle local = null;
        try {
            final Class<?> type = Class.forName("sun.nio.ch.SocketChannelImpl", false, null);
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            state = getter(lookup, type, "state", int.class);
            remote = getter(lookup, type, "remoteAddress", SocketAddress.class);
            local = getter(lookup, type, "localAddress", SocketAddress.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            state = null; // not opened to us, or the fields changed: see the class comment
        }
        STATE = state;
        REMOTE = remote;
        LOCAL = local;
    }

    private SocketChannelFields() {}

    /** Whether the fields are readable: the agent opened {@code sun.nio.ch} to the recording core. */
    static boolean available() {
        return STATE != null;
    }

    /**
     * Whether {@code channel} (a {@code SocketChannelImpl}) is connected; false when the fields are not readable. Its
     * addresses may be read after this returned true.
     */
    static boolean connected(Object channel) throws Throwable {
        final MethodHandle state = STATE;
        return state != null && (int) state.invokeExact(channel) == Endpoints.STREAM_CONNECTED;
    }

    /** The channel's remote address (the peer of a connection it opened); call after {@link #connected}. */
    static Object remote(Object channel) throws Throwable {
        return (Object) REMOTE.invokeExact(channel);
    }

    /** The channel's local address (the listening address of a connection it accepted); after {@link #connected}. */
    static Object local(Object channel) throws Throwable {
        return (Object) LOCAL.invokeExact(channel);
    }

    /**
     * A getter of field {@code name} taking the object (a channel, a classic socket's implementation) as an
     * {@code Object}, so that callers that cannot name the JDK class invoke it exactly; a getter of a volatile field
     * reads it as volatile.
     */
    static MethodHandle getter(MethodHandles.Lookup lookup, Class<?> type, String name, Class<?> field)
            throws ReflectiveOperationException {
        final Class<?> result = field.isPrimitive() ? field : Object.class;
        return lookup.findGetter(type, name, field).asType(MethodType.methodType(result, Object.class));
    }
}
