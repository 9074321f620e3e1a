package io.hotpath.agent.instrument.aeron;

import io.hotpath.agent.analyze.Laggards;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.ipc.Publications;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Reads, on the agent's thread, how far each subscriber of a publication's stream is behind it, from the counters
 * Aeron keeps itself (the same figures its {@code BacklogStat} tool shows): the client's {@code CountersReader} holds
 * one subscriber-position counter per subscription and image, keyed by the subscription's registration id, the
 * image's session id, the stream id and the channel. Lag is the publication's position minus each subscriber position
 * of its session; the slowest subscriber is reported to {@link Laggards} under the stream probe's name and its lag is
 * the stream probe's {@code lag} gauge. The room left before back-pressure is the publication's
 * {@code positionLimit()} minus its position.
 *
 * <p>Nothing here runs on an application thread: the publication's stream probe tracks it, and the snapshot calls
 * this reader once per tick. One scan of a client's counters serves all its publications within
 * {@link #SCAN_REUSE_NANOS}. The agent has no Aeron of its own: every call goes through the public API of whichever
 * Aeron and Agrona the application brings, looked up once per class.
 */
final class LagReader implements ToLongFunction<Object> {
    /** Aeron's counter type of a subscriber position ({@code SubscriberPos.SUBSCRIBER_POSITION_TYPE_ID}). */
    static final int SUBSCRIBER_POSITION_TYPE_ID = 4;

    // Agrona's counters metadata layout (CountersReader): records of METADATA_LENGTH bytes, state first.
    private static final int METADATA_LENGTH = 512;
    private static final int COUNTER_LENGTH = 128;
    private static final int TYPE_ID_OFFSET = 4;
    private static final int KEY_OFFSET = 16;
    private static final int RECORD_UNUSED = 0;
    private static final int RECORD_ALLOCATED = 1;

    // Aeron's stream counter key (StreamCounter): registration id, session id, stream id, channel (length-prefixed).
    private static final int KEY_REGISTRATION_ID = 0;
    private static final int KEY_SESSION_ID = 8;
    private static final int KEY_STREAM_ID = 12;
    private static final int KEY_CHANNEL = 16;

    /** A scan of a client's counters is reused for this long (a tick reads every publication of a client). */
    static final long SCAN_REUSE_NANOS = 50_000_000L;

    private final Map<Object, Scan> scans = new WeakHashMap<>();

    /** One subscriber position: the subscription, the image's session and stream, and its position. */
    record Subscriber(long registrationId, int sessionId, int streamId, String channel, long position) {
        String describe() {
            return "subscription " + registrationId + " (" + channel + " stream " + streamId + " session " + sessionId
                    + ")";
        }
    }

    private record Scan(List<Subscriber> subscribers, long atNanos) {}

    /** Set after the first failure to read: this Aeron is not what the reader expects, so it stops reading. */
    private boolean failed;

    @Override
    public synchronized long applyAsLong(Object publication) {
        if (failed) {
            return -1L;
        }
        try {
            return read(publication);
        } catch (RuntimeException e) {
            // The agent's own defect or an Aeron it does not know: stop reading lag, say so once, count nothing.
            failed = true;
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "aeron.lag",
                    "Aeron subscriber lag will not be read: " + e
                            + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            return -1L;
        }
    }

    private long read(Object publication) {
        final String stream = Publications.streamOf(publication);
        final Object client = Publications.clientOf(publication);
        if (stream == null || client == null || (Boolean) call(client, "isClosed")) {
            return -1L;
        }
        final int sessionId = (Integer) call(publication, "sessionId");
        final int streamId = (Integer) call(publication, "streamId");
        final long position = (Long) call(publication, "position");
        final long limit = (Long) call(publication, "positionLimit");
        if (position < 0L) {
            return -1L; // closed
        }
        Subscriber slowest = null;
        int count = 0;
        final StringBuilder all = new StringBuilder();
        for (Subscriber s : scan(client)) {
            if (s.sessionId() == sessionId && s.streamId() == streamId) {
                count++;
                if (all.length() > 0) {
                    all.append(", ");
                }
                all.append(s.describe())
                        .append(' ')
                        .append(Math.max(0L, position - s.position()))
                        .append(" B behind");
                if (slowest == null || s.position() < slowest.position()) {
                    slowest = s;
                }
            }
        }
        if (slowest == null) {
            return 0L;
        }
        final long lag = Math.max(0L, position - slowest.position());
        Laggards.report(
                stream,
                new Laggards.Laggard(
                        slowest.describe(), lag, limit - position, all.toString(), count, System.nanoTime()));
        return lag;
    }

    /** The subscriber positions among a client's counters, scanned at most every {@link #SCAN_REUSE_NANOS}. */
    List<Subscriber> scan(Object client) {
        final long now = System.nanoTime();
        final Scan was = scans.get(client);
        if (was != null && now - was.atNanos() < SCAN_REUSE_NANOS) {
            return was.subscribers();
        }
        final Object counters = call(client, "countersReader");
        final Object meta = call(counters, "metaDataBuffer");
        final Object values = call(counters, "valuesBuffer");
        final int capacity = (Integer) call(meta, "capacity");
        final List<Subscriber> found = new ArrayList<>();
        for (int id = 0, offset = 0; offset + METADATA_LENGTH <= capacity; id++, offset += METADATA_LENGTH) {
            final int state = (Integer) call(meta, "getIntVolatile", offset);
            if (state == RECORD_UNUSED) {
                break; // records are allocated in order: nothing follows the first unused one
            }
            if (state != RECORD_ALLOCATED
                    || (Integer) call(meta, "getInt", offset + TYPE_ID_OFFSET) != SUBSCRIBER_POSITION_TYPE_ID) {
                continue;
            }
            final int key = offset + KEY_OFFSET;
            found.add(new Subscriber(
                    (Long) call(meta, "getLong", key + KEY_REGISTRATION_ID),
                    (Integer) call(meta, "getInt", key + KEY_SESSION_ID),
                    (Integer) call(meta, "getInt", key + KEY_STREAM_ID),
                    (String) call(meta, "getStringAscii", key + KEY_CHANNEL),
                    (Long) call(values, "getLongVolatile", id * COUNTER_LENGTH)));
        }
        final List<Subscriber> subscribers = List.copyOf(found);
        scans.put(client, new Scan(subscribers, now));
        return subscribers;
    }

    // ---------------------------------------------------------------- reflection on the application's Aeron

    private static final ClassValue<Map<String, Method>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** Calls a public no-argument or one-int-argument method through the public class or interface that declares it. */
    static Object call(Object target, String name, int... arg) {
        final Method m = METHODS.get(target.getClass())
                .computeIfAbsent(name + "/" + arg.length, k -> publicMethod(target.getClass(), name, arg.length));
        try {
            return arg.length == 0 ? m.invoke(target) : m.invoke(target, arg[0]);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot read " + name + " of " + target.getClass().getName(), e);
        }
    }

    /**
     * The client that added {@code publication}, read from Aeron's own fields (the publication's conductor, the
     * conductor's client), for a publication whose {@code addPublication} ran before the advice was in place; null
     * when this Aeron keeps them elsewhere.
     */
    static Object addedBy(Object publication) {
        try {
            final Object conductor = field(publication, "io.aeron.Publication", "conductor");
            return conductor == null ? null : field(conductor, "io.aeron.ClientConductor", "aeron");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object field(Object target, String declaringClass, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(declaringClass)) {
                final java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            }
        }
        return null;
    }

    private static Method publicMethod(Class<?> type, String name, int args) {
        final Class<?>[] params = args == 0 ? new Class<?>[0] : new Class<?>[] {int.class};
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                try {
                    return c.getMethod(name, params);
                } catch (NoSuchMethodException e) {
                    break;
                }
            }
        }
        throw new IllegalStateException("no public method " + name + " on " + type.getName());
    }
}
