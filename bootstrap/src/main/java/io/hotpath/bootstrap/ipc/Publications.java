package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Aeron publications, read rather than instrumented on their success path. Aeron already counts what a successful
 * offer does: the publication's position advances by the framed length of each message. So a publication is
 * remembered when it is created (its stream's endpoint probe, its position then) and its position is read again on
 * the agent's thread every tick ({@link #advanced}) and when it closes ({@link #closing}): the difference is the bytes
 * the stream carried, added to the stream's probe as {@code bytes_out}. The application thread only counts what
 * Aeron does not: an offer refused, by outcome ({@link #refused}), counted where Aeron decides it, not by testing every offer's result.
 *
 * <p>Why two structures: the refusal path must find the stream probe without a lock or an allocation. A publication
 * whose class the agent saw defined keeps the stream probe's id in a field added to the class ({@link #attached},
 * {@link #refused(long, int, int)}): one field read, nothing shared, no limit. A publication whose class was already
 * loaded when the agent came cannot get a field, so its stream probe's id lives in an {@link IdentityCells} table of
 * publications alone (sockets have their own, so churning connections cannot crowd publications out), removed when
 * the publication closes. The last position read is cold state, touched at creation, close and once a tick, and kept
 * in a concurrent map with weak identity keys. No lock: creation and close run on application threads, the tick's read
 * on the agent's, and a monitor shared by the two made an application thread creating or closing a publication wait
 * for the agent's read. The position only grows, and a read adds what it advanced by a compare-and-set, so a close and
 * a tick that race count each byte once.
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

    /**
     * Publication to its last position read and stream probe; weak identity keys so a dropped publication is
     * forgotten ({@link #purge}). At most {@link #MAX_OPEN} entries ({@link #REMEMBERED}).
     */
    private static final ConcurrentHashMap<Object, Stream> STREAMS = new ConcurrentHashMap<>();

    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

    /** Entries in {@link #STREAMS}, reserved before a put so the bound holds under concurrent creation. */
    private static final AtomicInteger REMEMBERED = new AtomicInteger();

    /** A weak key equal to any key for the same object (by identity), while that object lives. */
    private static final class WeakKey extends WeakReference<Object> {
        private final int hash;

        WeakKey(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            final Object mine = get();
            return mine != null
                    && (o instanceof WeakKey w ? w.get() == mine : o instanceof Lookup l && l.referent == mine);
        }
    }

    /** The key a look-up passes: equal to the live {@link WeakKey} of the same object. */
    private static final class Lookup {
        final Object referent;

        Lookup(Object referent) {
            this.referent = referent;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(referent);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof WeakKey w && w.get() == referent);
        }
    }

    /** Forgets the publications collected without being closed. */
    private static void purge() {
        for (java.lang.ref.Reference<?> r; (r = COLLECTED.poll()) != null; ) {
            final Stream s = STREAMS.remove(r);
            if (s != null) {
                REMEMBERED.decrementAndGet();
                if (s.key != 0) {
                    CELLS.remove(s.key);
                }
            }
        }
    }

    /** Reads a publication's slowest-subscriber lag on the agent's thread; null until the agent sets it. */
    private static volatile ToLongFunction<Object> lagReader;

    private static final class Stream {
        final Probe probe;
        final int key;
        /** The last position read; only grows ({@link #advance}). */
        final AtomicLong position;
        /** The client that added the publication; weak, since the client holds its publications strongly. */
        volatile WeakReference<Object> client;

        Stream(Probe probe, int key, long position) {
            this.probe = probe;
            this.key = key;
            this.position = new AtomicLong(position);
        }
    }

    private Publications() {}

    /**
     * A publication was created: attaches its stream probe {@code <prefix> <channel> stream <id>} and remembers its
     * position. Called once per publication, from its constructor; allocates (the name, the map entry).
     */
    public static void created(Object publication, String prefix, String channel, int streamId, long position) {
        remember(publication, prefix, channel, streamId, position, true);
    }

    /**
     * Remembers a publication (see {@link #created(Object, String, String, int, long)}) and returns its stream probe,
     * or null when {@link #MAX_OPEN} are open. With {@code cell}, the stream probe also goes into the identity table
     * for {@link #refused(long, int, Object)}; without, the caller keeps it in a field of the publication.
     */
    private static Probe remember(
            Object publication, String prefix, String channel, int streamId, long position, boolean cell) {
        final Probe stream = Endpoints.named(prefix, channel + " stream " + streamId);
        // Key 0: not in the table, so closing frees no cell (another publication with the same identity hash may own
        // it).
        final int key = cell ? IdentityCells.keyOf(publication) : 0;
        purge();
        final Stream s = new Stream(stream, key, Math.max(0L, position));
        // Created again (a constructor delegating to another): the later stream and position replace the earlier.
        if (STREAMS.replace(new Lookup(publication), s) == null) {
            // Bounded: a program that leaks open publications must not grow the agent's memory with them.
            if (REMEMBERED.incrementAndGet() > MAX_OPEN) {
                REMEMBERED.decrementAndGet();
                UNREMEMBERED.incrementAndGet();
                return null;
            }
            if (STREAMS.putIfAbsent(new WeakKey(publication, COLLECTED), s) != null) {
                REMEMBERED.decrementAndGet();
            }
        }
        if (cell) {
            CELLS.putRelease(key, stream.id() + 1L);
        }
        final ToLongFunction<Object> lag = lagReader;
        if (lag != null) {
            stream.instanceGauge(new Probe.InstanceGauge(Gauge.LAG, lag));
            stream.track(publication);
        }
        return stream;
    }

    /**
     * What advice calls when a publication whose class has a field for it was constructed: remembers the publication
     * as {@link #created(int, Object, String, String, int, long)} does, without the identity table, and returns what
     * the field keeps for {@link #refused(long, int, int)}: the stream probe's id plus one, or 0 when the publication is
     * not remembered ({@link #MAX_OPEN} open, or a fault, which disables the probe). Once per publication.
     */
    public static int attached(int id, Object publication, String prefix, String channel, int streamId, long position) {
        final Probe p = Probes.get(id);
        try {
            final Probe stream = remember(publication, prefix, channel, streamId, position, false);
            p.track(publication);
            return stream == null ? 0 : stream.id() + 1;
        } catch (Throwable t) {
            p.fail(t);
            return 0;
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
        final Stream s = STREAMS.get(new Lookup(publication));
        if (s != null) {
            s.client = new WeakReference<>(client);
        }
    }

    /** The name of the stream probe a remembered publication counts on, or null if it is not remembered. Cold side. */
    public static String streamOf(Object publication) {
        final Stream s = STREAMS.get(new Lookup(publication));
        return s == null ? null : s.probe.name();
    }

    /** The client that added this publication, or null if unknown or collected. Cold side. */
    public static Object clientOf(Object publication) {
        final Stream s = STREAMS.get(new Lookup(publication));
        final WeakReference<Object> client = s == null ? null : s.client;
        return client == null ? null : client.get();
    }

    /**
     * Counts one refused offer ({@code result < 0}, Aeron's convention; see {@link SendOutcomes}) on the operation
     * probe {@code id} and on the publication's stream probe. Hot but off the success path: called only from the
     * places where Aeron decides a refusal, never on a successful offer. The result comes first because the call is
     * inserted where Aeron's refusal is already on the operand stack. Allocation-free; a failure disables the probe.
     */
    public static void refused(long result, int id, Object publication) {
        // The table keeps what the field would: the stream probe's id plus one, or 0 when not remembered.
        refused(result, id, (int) CELLS.getAcquire(IdentityCells.keyOf(publication)));
    }

    /**
     * {@link #refused(long, int, Object)} for a publication that keeps its stream in a field: {@code stream} is what
     * {@link #attached} returned (0: count on the operation probe only). No table look-up; allocation-free.
     */
    public static void refused(long result, int id, int stream) {
        final Probe p = Probes.get(id);
        try {
            final int slot = SendOutcomes.slotOf(result);
            final boolean sampled = p.countSampled(slot);
            if (stream > 0) {
                Probes.get(stream - 1).increment(slot);
            }
            if (sampled) {
                refusedSampled(id, stream);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * What an {@code ExclusivePublication} refuses with when its term ran out: it has padded the term and will
     * rotate to the next one ({@link SendOutcomes#ADMIN_ACTION}) unless the next term would pass the publication's
     * maximum position ({@link SendOutcomes#MAX_POSITION_EXCEEDED}), the test Aeron itself makes after the padding.
     */
    public static long termEnded(long nextTermBegin, long maxPossiblePosition) {
        return nextTermBegin >= maxPossiblePosition ? SendOutcomes.MAX_POSITION_EXCEEDED : SendOutcomes.ADMIN_ACTION;
    }

    /**
     * The pipeline edges of a sampled refused offer ({@link io.hotpath.bootstrap.Flows}): from where the offering
     * thread took its work to the operation probe {@code id} and to the publication's stream probe (its id + 1 in
     * {@code stream}, from the identity table or the publication's field, when remembered), which count the same
     * refusals. Learned from refusals only, one in the operation probe's sample mask + 1, so a successful offer still
     * runs nothing of ours; a publication that never pushes back is not placed in the pipeline, and needs not be: its
     * back-pressure finding is what root cause has to place.
     */
    static void refusedSampled(int id, int stream) {
        io.hotpath.bootstrap.Flows.put(id);
        if (stream > 0) {
            io.hotpath.bootstrap.Flows.put(stream - 1);
        }
    }

    /**
     * The position of a live publication read on the agent's thread: adds what the stream carried since the last read
     * to its probe. A negative position (Aeron's {@code CLOSED}) or an unknown publication adds nothing.
     */
    public static void advanced(Object publication, long position) {
        final Stream s = STREAMS.get(new Lookup(publication));
        if (s != null) {
            advance(s, position);
        }
    }

    /**
     * A publication is closing (called on entry of its {@code close()}, with its position then): adds its last bytes
     * and forgets it, so its identity cell is free for the publications that come after it.
     */
    public static void closing(Object publication, long position) {
        final Stream s = STREAMS.remove(new Lookup(publication));
        if (s != null) {
            REMEMBERED.decrementAndGet();
            advance(s, position);
        }
        if (s != null && s.key != 0) {
            CELLS.remove(s.key);
        }
    }

    /** Adds what the position advanced since the last read, once: a close and a tick racing each add their part. */
    private static void advance(Stream s, long position) {
        long last;
        do {
            last = s.position.get();
            if (position <= last) {
                return;
            }
        } while (!s.position.compareAndSet(last, position));
        s.probe.add(Slot.BYTES_OUT, position - last);
    }

    /** Publications remembered and not yet closed (or collected). */
    public static int open() {
        purge();
        return STREAMS.size();
    }

    /**
     * Publications not attributed to their stream: no free identity cell for their refusals, or {@link #MAX_OPEN}
     * already open (their bytes are not read either). Their refusals still count on the operation probe.
     */
    public static long unattached() {
        return CELLS.overflow() + UNREMEMBERED.get();
    }
}
