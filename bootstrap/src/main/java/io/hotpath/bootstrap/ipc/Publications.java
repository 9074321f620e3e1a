package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Aeron publications, read rather than instrumented on their success path. Aeron already counts what a successful
 * offer does: the publication's position advances by the framed length of each message. So a publication is
 * remembered when it is created (its stream's endpoint probe, its position then) and its position is read again on
 * the agent's thread every tick ({@link #advanced}) and when it closes ({@link #closing}): the difference is the bytes
 * the stream carried, added to the stream's probe as {@code bytes_out}. The application thread only counts what
 * Aeron does not: an offer refused, by outcome ({@link #refused}), decided by the sign of the offer's result.
 *
 * <p>Why two structures: the refusal path must find the stream probe without a lock or an allocation, so the stream
 * probe's id lives in an {@link IdentityCells} table of publications alone (sockets have their own, so churning
 * connections cannot crowd publications out); it is removed when the publication closes. The last position read is
 * cold state, touched at creation, close and once a tick, and kept in a weak map under a lock.
 *
 * <p>Subscriber lag is read the same way: the client that added a publication is remembered with it ({@link #client}),
 * and the agent's lag reader ({@link #lagReader}) reads that client's counters on the agent's thread, as the stream
 * probe's {@link Gauge#LAG} gauge. Nothing of it runs on the offer path.
 */
public final class Publications {
    /** Most publications remembered at once; later ones, while this many are open, count refusals only. */
    public static final int MAX_OPEN = 4096;

    private static final IdentityCells CELLS = new IdentityCells(MAX_OPEN);
    private static final AtomicLong UNREMEMBERED = new AtomicLong();

    /** Publication to its last position read and stream probe; weak keys so a dropped publication is forgotten. */
    private static final Map<Object, Stream> STREAMS = new WeakHashMap<>();

    /** Reads a publication's slowest-subscriber lag on the agent's thread; null until the agent sets it. */
    private static volatile ToLongFunction<Object> lagReader;

    private static final class Stream {
        final Probe probe;
        final int key;
        long position;
        /** The client that added the publication; weak, since the client holds its publications strongly. */
        WeakReference<Object> client;

        Stream(Probe probe, int key, long position) {
            this.probe = probe;
            this.key = key;
            this.position = position;
        }
    }

    private Publications() {}

    /**
     * A publication was created: attaches its stream probe {@code <prefix> <channel> stream <id>} and remembers its
     * position. Called once per publication, from its constructor; allocates (the name, the map entry).
     */
    public static void created(Object publication, String prefix, String channel, int streamId, long position) {
        final Probe stream = Endpoints.named(prefix, channel + " stream " + streamId);
        final int key = IdentityCells.keyOf(publication);
        synchronized (STREAMS) {
            // Bounded: a program that leaks open publications must not grow the agent's memory with them.
            if (STREAMS.size() >= MAX_OPEN && !STREAMS.containsKey(publication)) {
                UNREMEMBERED.incrementAndGet();
                return;
            }
            STREAMS.put(publication, new Stream(stream, key, Math.max(0L, position)));
        }
        CELLS.putRelease(key, stream.id() + 1L);
        final ToLongFunction<Object> lag = lagReader;
        if (lag != null) {
            stream.instanceGauge(new Probe.InstanceGauge(Gauge.LAG, lag));
            stream.track(publication);
        }
    }

    /**
     * What advice calls when a publication was constructed: {@link #created(Object, String, String, int, long)}, then
     * the publication tracked on the operation probe {@code id} so the agent's thread reads its position. Guarded: a
     * fault disables the probe.
     */
    public static void created(int id, Object publication, String prefix, String channel, int streamId, long position) {
        final Probe p = Probes.get(id);
        try {
            created(publication, prefix, channel, streamId, position);
            p.track(publication);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * Sets the reader of a publication's subscriber lag, called on the agent's thread for every publication tracked
     * on its stream probe. Set once by the agent before instrumenting; publications created before stay without lag.
     */
    public static void lagReader(ToLongFunction<Object> reader) {
        lagReader = reader;
    }

    /**
     * The client ({@code io.aeron.Aeron}) added this publication: remembered weakly, so the agent's thread can read
     * the client's counters (subscriber positions). Called once per publication, when the client returns it.
     */
    public static void client(Object publication, Object client) {
        if (publication == null || client == null) {
            return;
        }
        synchronized (STREAMS) {
            final Stream s = STREAMS.get(publication);
            if (s != null) {
                s.client = new WeakReference<>(client);
            }
        }
    }

    /** The name of the stream probe a remembered publication counts on, or null if it is not remembered. Cold side. */
    public static String streamOf(Object publication) {
        synchronized (STREAMS) {
            final Stream s = STREAMS.get(publication);
            return s == null ? null : s.probe.name();
        }
    }

    /** The client that added this publication, or null if unknown or collected. Cold side. */
    public static Object clientOf(Object publication) {
        synchronized (STREAMS) {
            final Stream s = STREAMS.get(publication);
            return s == null || s.client == null ? null : s.client.get();
        }
    }

    /**
     * Counts one refused offer ({@code result < 0}, Aeron's convention; see {@link SendOutcomes}) on the operation
     * probe {@code id} and on the publication's stream probe. Hot but off the success path: advice calls it only when
     * the result is negative. Allocation-free; a failure disables the probe.
     */
    public static void refused(int id, Object publication, long result) {
        final Probe p = Probes.get(id);
        try {
            final int slot = SendOutcomes.slotOf(result);
            final boolean sampled = p.countSampled(slot);
            final long cell = CELLS.getAcquire(IdentityCells.keyOf(publication));
            if (cell > 0L) {
                Probes.get((int) (cell - 1L)).increment(slot);
            }
            if (sampled) {
                refusedSampled(id, cell);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * The pipeline edges of a sampled refused offer ({@link io.hotpath.bootstrap.Flows}): from where the offering
     * thread took its work to the operation probe {@code id} and to the publication's stream probe (its identity
     * {@code cell}, when remembered), which count the same refusals. Learned from refusals only, one in the operation
     * probe's sample mask + 1, so a successful offer still runs nothing of ours; a publication that never pushes back
     * is not placed in the pipeline, and needs not be: its back-pressure finding is what root cause has to place.
     */
    static void refusedSampled(int id, long cell) {
        io.hotpath.bootstrap.Flows.put(id);
        if (cell > 0L) {
            io.hotpath.bootstrap.Flows.put((int) (cell - 1L));
        }
    }

    /**
     * The position of a live publication read on the agent's thread: adds what the stream carried since the last read
     * to its probe. A negative position (Aeron's {@code CLOSED}) or an unknown publication adds nothing.
     */
    public static void advanced(Object publication, long position) {
        synchronized (STREAMS) {
            final Stream s = STREAMS.get(publication);
            if (s != null) {
                advance(s, position);
            }
        }
    }

    /**
     * A publication is closing (called on entry of its {@code close()}, with its position then): adds its last bytes
     * and forgets it, so its identity cell is free for the publications that come after it.
     */
    public static void closing(Object publication, long position) {
        final Stream s;
        synchronized (STREAMS) {
            s = STREAMS.remove(publication);
            if (s != null) {
                advance(s, position);
            }
        }
        if (s != null) {
            CELLS.remove(s.key);
        }
    }

    private static void advance(Stream s, long position) {
        if (position > s.position) {
            s.probe.add(Slot.BYTES_OUT, position - s.position);
            s.position = position;
        }
    }

    /** Publications remembered and not yet closed (or collected). */
    public static int open() {
        synchronized (STREAMS) {
            return STREAMS.size();
        }
    }

    /**
     * Publications not attributed to their stream: no free identity cell for their refusals, or {@link #MAX_OPEN}
     * already open (their bytes are not read either). Their refusals still count on the operation probe.
     */
    public static long unattached() {
        return CELLS.overflow() + UNREMEMBERED.get();
    }
}
