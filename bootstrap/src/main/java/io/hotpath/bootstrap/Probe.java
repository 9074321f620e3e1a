package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instrumented site: striped cumulative counters, sampled distributions, and the weakly held instances (queues,
 * pools) created there. Everything an application thread calls here is wait-free and allocation-free: one atomic add
 * on the caller's stripe, and on sampled calls a {@link System#nanoTime()} pair and two more adds. The side of a
 * tracked instance that one thread drives (a queue's producer or consumer, {@link Side}) counts into a row of its own
 * instead: a plain add and an opaque store, no locked instruction.
 *
 * <p>Counter layout: one block of {@link Slot#COUNT} longs and {@link #PAIRS} packed cells per stripe, each block
 * followed by {@link #PAD} unused longs, and a leading pad, so that two stripes never share a cache line (even with
 * adjacent-line prefetch).
 *
 * <pre>
 * | pad 8 | stripe 0: 23 counters, 3 packed | pad 8 | stripe 1: 23 counters, 3 packed | pad 8 | ...
 * </pre>
 *
 * <p><b>Packed pairs.</b> A socket read or write counts a call and its bytes, a poll the poll and its messages. Two
 * atomic adds cost twice one, so {@link #addPacked} counts both in one: the low {@link #CALL_BITS} bits of a packed
 * cell count calls, the bits above them bytes (or messages). The fields cannot carry into each other as long as the cell is emptied often enough: every read of the
 * totals folds the packed cells into the plain counters first, under {@link #rowLock} (the snapshot reads every probe
 * every tick), and a single add carries at most {@link #MAX_PACKED_BYTES} bytes (more goes through two plain adds).
 * So a stripe overflows only after 2<sup>28</sup> calls or 64 GiB between two reads.
 */
public final class Probe {
    private static final int PAD = 8;

    /** Packed pair: a write, counted in {@link Slot#IN} with its bytes in {@link Slot#BYTES_OUT}. */
    public static final int WRITES = 0;

    /** Packed pair: a read, counted in {@link Slot#OUT} with its bytes in {@link Slot#BYTES_IN}. */
    public static final int READS = 1;

    /**
     * Packed pair: a poll that returned messages, counted in {@link Slot#BATCHES} with the messages in
     * {@link Slot#OUT} (an Aeron subscription's fragments).
     */
    public static final int POLLS = 2;

    private static final int PAIRS = 3;
    private static final int PACKED = Slot.COUNT;
    private static final int STRIDE = Slot.COUNT + PAIRS + PAD;

    /** Bits of a packed cell that count calls; the bits above count bytes. */
    static final int CALL_BITS = 28;

    private static final long CALL_MASK = (1L << CALL_BITS) - 1L;

    /** Most bytes one packed add carries; a larger count is added to the plain counters instead. */
    static final long MAX_PACKED_BYTES = (1L << 24) - 1L;

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SAMPLE_MASK;
    private static final VarHandle STATE;
    private static final VarHandle DETAIL_SHED;
    private static final VarHandle FAULT;
    private static final VarHandle HOST_FAULTS;
    private static final VarHandle PARTS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SAMPLE_MASK = lookup.findVarHandle(Probe.class, "sampleMask", int.class);
            STATE = lookup.findVarHandle(Probe.class, "state", int.class);
            DETAIL_SHED = lookup.findVarHandle(Probe.class, "detailShed", boolean.class);
            FAULT = lookup.findVarHandle(Probe.class, "fault", Throwable.class);
            HOST_FAULTS = lookup.findVarHandle(Probe.class, "hostFaults", long.class);
            PARTS = lookup.findVarHandle(Probe.class, "parts", Part[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** At most this many instances are tracked per probe; more are counted but not sampled for gauges. */
    public static final int MAX_TRACKED_INSTANCES = 256;

    private final int id;
    private final String name;
    private final PathKind kind;
    private final long[] cells;
    private final BucketHistogram[] dists;
    private final ConcurrentLinkedQueue<InstanceRef> instances = new ConcurrentLinkedQueue<>();

    /**
     * Rows written by one thread each: a plain add and an opaque store instead of a locked add. A row is keyed by a
     * tracked instance ({@link Side}: the one thread that claimed that side of a queue). The cold side sums the live
     * rows and folds a row into {@link #cells} once its instance was collected (under {@link #rowLock}, so no reader
     * counts a row twice); memory is at most {@link #MAX_SIDE_ROWS} rows.
     */
    private final ConcurrentLinkedQueue<OwnedRow> rows = new ConcurrentLinkedQueue<>();

    private final Object rowLock = new Object();
    private final AtomicInteger instanceCount = new AtomicInteger();

    /** Instance rows handed to {@link Side}s and not folded yet; at most {@link #MAX_SIDE_ROWS}. */
    private final AtomicInteger sideRows = new AtomicInteger();

    /**
     * At most this many {@link Side}s of one probe have their own row at a time (two per tracked instance); a side
     * created past it counts on the stripes only.
     */
    public static final int MAX_SIDE_ROWS = 2 * MAX_TRACKED_INSTANCES;

    /**
     * The sample mask a probe starts with by default, before the cold side has seen its rate: one call in 64 timed
     * (and the first on each stripe). Starting at 0 would time every call of a hot probe until the first tick.
     */
    public static final int INITIAL_SAMPLE_MASK = 63;

    /**
     * The sample mask new probes start with: {@link #INITIAL_SAMPLE_MASK} unless the agent's configured timing target
     * says otherwise ({@link #initialSampleMask(int)}). Read once per probe, when it is constructed.
     */
    private static volatile int initialSampleMask = INITIAL_SAMPLE_MASK;

    /** Calls are timed when (count on this stripe & sampleMask) == 0; written by the cold side only. */
    private int sampleMask = initialSampleMask;

    /** {@link #state()} bit: recording stopped after a fault of the agent's own ({@link #fail}); one-way. */
    public static final int FAILED = 1;

    /** {@link #state()} bit: turned off by the operator ({@link #operatorOff}); the operator may turn it on again. */
    public static final int OFF = 2;

    /** {@link #state()} bit: its instrumentation module is turned off ({@link ProbeModules}). */
    public static final int MODULE_OFF = 4;

    /**
     * State bit: this probe is traced ({@link Trace}). Alone it does not stop recording; it only makes the state not 0,
     * so that the traced probe's entry points, and only they, leave their fast path to hand each event to the trace.
     * Not part of {@link #state()}.
     */
    static final int TRACED = 8;

    /**
     * Why this probe does not record: 0 while it records, else a sum of {@link #FAILED}, {@link #OFF} and
     * {@link #MODULE_OFF}. All three reasons share this one int so that the hot side still decides with one read
     * ({@link #skips}); each writer sets or clears only its own bit with an atomic bitwise update, so a fault on an
     * application thread and an operator's toggle on the agent's thread never lose each other's bit. A trace's
     * {@link #TRACED} bit shares the word for the same reason: the one read that finds it 0 is all an untraced probe
     * pays.
     */
    private int state;

    /** The {@link ProbeModules} module this probe belongs to, 0 for none; written once, when it joins. */
    private volatile int module;

    /**
     * Set by the agent's overhead budget: this probe still counts every event but times none and records into no
     * distribution. Read on the hot side only where a timing or a distribution add would follow.
     */
    private boolean detailShed;

    private Throwable fault;
    private long hostFaults;

    /** Reads one gauge from each tracked instance on the cold side; null for none. Set once, by the agent. */
    private volatile InstanceGauge instanceGauge;

    /**
     * Counters of other probes that are part of this one's totals ({@link #sumOf}); replaced whole by a compare-and-set,
     * read without a lock.
     */
    private volatile Part[] parts = new Part[0];

    private record Part(Probe probe, int from, int to) {}

    Probe(int id, String name, PathKind kind, int distBits) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.cells = new long[PAD + Stripes.COUNT * STRIDE];
        this.dists = new BucketHistogram[Dist.COUNT];
        for (int d = 0; d < Dist.COUNT; d++) {
            if ((distBits & Dist.bit(d)) != 0) {
                dists[d] = new BucketHistogram();
            }
        }
    }

    /** The id instrumented code uses to find this probe. */
    public int id() {
        return id;
    }

    /** The stable, human-readable name, e.g. {@code com.acme.Broadcaster.<init>:42}. */
    public String name() {
        return name;
    }

    /** What this probe measures. */
    public PathKind kind() {
        return kind;
    }

    // ---------------------------------------------------------------- hot side

    private static int base() {
        return PAD + Stripes.index() * STRIDE;
    }

    /**
     * Counts one event in {@code slot} and decides whether it is timed: returns {@link System#nanoTime()} for a
     * sampled event, 0 otherwise. Pass the result to {@link #recordSince}. The cold side sets the sample mask from the
     * rate of the busiest of {@code calls}, {@code in}, {@code out}, {@code started} and {@code batches}: tick one of
     * those, or the mask will not follow this probe's rate.
     */
    public long tick(int slot) {
        if (skips(this, slot, 1L)) {
            return 0L;
        }
        return stripeTick(slot);
    }

    /** {@link #tick} on the caller's stripe, the probe's state already read. */
    private long stripeTick(int slot) {
        final long before = (long) CELLS.getAndAdd(cells, base() + slot, 1L);
        if ((before & (int) SAMPLE_MASK.getOpaque(this)) != 0 || (boolean) DETAIL_SHED.getOpaque(this)) {
            return 0L;
        }
        return System.nanoTime();
    }

    /**
     * Counts one event in {@code slot} and says whether it is a sampled one, without reading the clock: for a sampled
     * record that is not a timing (a size). Same sampling as {@link #tick}.
     */
    public boolean countSampled(int slot) {
        if (skips(this, slot, 1L)) {
            return false;
        }
        return stripeCountSampled(slot);
    }

    /** {@link #countSampled} on the caller's stripe, the probe's state already read. */
    private boolean stripeCountSampled(int slot) {
        final long before = (long) CELLS.getAndAdd(cells, base() + slot, 1L);
        return (before & (int) SAMPLE_MASK.getOpaque(this)) == 0;
    }

    /** Counts a call and maybe starts its timer; same as {@code tick(Slot.CALLS)}. */
    public long begin() {
        return tick(Slot.CALLS);
    }

    /** Ends a call begun with {@link #begin}: records its latency if it was sampled. */
    public void end(long start) {
        if (start != 0L) {
            record(Dist.LATENCY, System.nanoTime() - start);
        }
    }

    /** Ends a call begun with {@link #begin} that threw. */
    public void endWithError(long start) {
        add(Slot.ERRORS, 1L);
        end(start);
    }

    /** Adds 1 to a counter. */
    public void increment(int slot) {
        add(slot, 1L);
    }

    /** Adds {@code n} to a counter. */
    public void add(int slot, long n) {
        if (!skips(this, slot, n)) {
            CELLS.getAndAdd(cells, base() + slot, n);
        }
    }

    /**
     * Starts a call of a packed pair ({@link #WRITES}, {@link #READS}) without counting it ({@link #addPacked} counts
     * it when it ends): returns {@link System#nanoTime()} when this call is to be timed, 0 otherwise. Sampling follows
     * the calls counted in the stripe's packed cell, as {@link #tick} does its counter; no write, no locked
     * instruction.
     */
    public long beginPacked(int pair) {
        if (skips(this)) {
            return 0L;
        }
        final long packed = (long) CELLS.getOpaque(cells, base() + PACKED + pair);
        if ((packed & CALL_MASK & (int) SAMPLE_MASK.getOpaque(this)) != 0 || (boolean) DETAIL_SHED.getOpaque(this)) {
            return 0L;
        }
        return System.nanoTime();
    }

    /**
     * Counts one call of a packed pair and its {@code bytes} in one atomic add (see the class comment). Exact like two
     * {@link #add}s; a negative count counts the call with no bytes.
     */
    public void addPacked(int pair, long bytes) {
        if (!skips(this, PACKED_EVENT + pair, bytes)) {
            final int base = base();
            if (bytes <= 0L) {
                CELLS.getAndAdd(cells, base + PACKED + pair, 1L);
            } else if (bytes <= MAX_PACKED_BYTES) {
                CELLS.getAndAdd(cells, base + PACKED + pair, (bytes << CALL_BITS) + 1L);
            } else {
                CELLS.getAndAdd(cells, base + callSlot(pair), 1L);
                CELLS.getAndAdd(cells, base + byteSlot(pair), bytes);
            }
        }
    }

    /**
     * {@link #addPacked} that also says whether this call is a sampled one (for a size record), from the calls the
     * stripe's packed cell counted before it, as {@link #countSampled} does.
     */
    public boolean addPackedSampled(int pair, long n) {
        if (skips(this, PACKED_EVENT + pair, n)) {
            return false;
        }
        final long before;
        if (n <= 0L) {
            before = (long) CELLS.getAndAdd(cells, base() + PACKED + pair, 1L);
        } else if (n <= MAX_PACKED_BYTES) {
            before = (long) CELLS.getAndAdd(cells, base() + PACKED + pair, (n << CALL_BITS) + 1L);
        } else {
            final int base = base();
            before = (long) CELLS.getAndAdd(cells, base + callSlot(pair), 1L);
            CELLS.getAndAdd(cells, base + byteSlot(pair), n);
        }
        return (before & CALL_MASK & (int) SAMPLE_MASK.getOpaque(this)) == 0;
    }

    private static int callSlot(int pair) {
        return pair == WRITES ? Slot.IN : pair == READS ? Slot.OUT : Slot.BATCHES;
    }

    private static int byteSlot(int pair) {
        return pair == WRITES ? Slot.BYTES_OUT : pair == READS ? Slot.BYTES_IN : Slot.OUT;
    }

    /**
     * A row of {@link Slot#COUNT} counters at offset {@link #PAD}, padded on both sides: rows of one instance's two
     * sides are allocated together and written by different threads, so they must not share a cache line.
     */
    private static long[] newPaddedRow() {
        return new long[PAD + Slot.COUNT + PAD];
    }

    /** A row and the tracked instance it belongs to (folded once the instance was collected). */
    private record OwnedRow(WeakReference<Object> key, long[] row) {}

    /**
     * A new {@link Side} of {@code instance} (a tracked queue's producers or its consumers), with a row of its own
     * unless {@link #MAX_SIDE_ROWS} are in use. Called from constructors, never per message.
     */
    public Side side(Object instance) {
        if (sideRows.incrementAndGet() > MAX_SIDE_ROWS) {
            sideRows.decrementAndGet();
            return new Side(this, null);
        }
        final long[] row = newPaddedRow();
        rows.add(new OwnedRow(new WeakReference<>(instance), row));
        return new Side(this, row);
    }

    /**
     * One side of one tracked instance, such as a queue's producers or its consumers, which is usually driven by one
     * thread. The first thread that counts on a side claims it and from then on counts into the side's row with a
     * plain add and an opaque store, no locked instruction; every other thread counts on the probe's stripes with an
     * atomic add, as {@link Probe#add} does. Exact either way: only the claiming thread ever writes the row. The row is
     * part of the probe's totals while the instance lives and is folded into the stripes once it was collected (no
     * thread can count on a side whose instance is unreachable, so the row is final by then).
     */
    public static final class Side {
        private static final VarHandle OWNER;

        static {
            try {
                OWNER = MethodHandles.lookup().findVarHandle(Side.class, "owner", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Probe probe;

        /** Null when the probe had no row to spare: every call counts on the stripes. */
        private final long[] row;

        /**
         * The thread that claimed the row, set once by a CAS from null and never changed: a plain read that sees the
         * calling thread can only be of that thread's own CAS, so it needs no ordering.
         */
        @SuppressWarnings("unused") // claimed through OWNER
        private Thread owner;

        Side(Probe probe, long[] row) {
            this.probe = probe;
            this.row = row;
        }

        /** The probe this side counts for. */
        public Probe probe() {
            return probe;
        }

        /** Whether this side has a row of its own; for tests. */
        boolean hasRow() {
            return row != null;
        }

        /** Adds 1 to a counter. */
        public void increment(int slot) {
            add(slot, 1L);
        }

        /** Adds {@code n} to a counter: into this side's row on its owning thread, else on the probe's stripes. */
        public void add(int slot, long n) {
            final Probe p = probe;
            if (skips(p, slot, n)) {
                return;
            }
            if (owned()) {
                final long[] r = row;
                CELLS.setOpaque(r, PAD + slot, r[PAD + slot] + n);
            } else {
                CELLS.getAndAdd(p.cells, base() + slot, n);
            }
        }

        /**
         * Counts one event in {@code slot} and says whether it is a sampled one, as {@link Probe#countSampled} does,
         * on this side's row when the calling thread owns it; no clock read.
         */
        public boolean countSampled(int slot) {
            final Probe p = probe;
            if (skips(p, slot, 1L)) {
                return false;
            }
            if (!owned()) {
                return p.stripeCountSampled(slot);
            }
            final long[] r = row;
            final long before = r[PAD + slot];
            CELLS.setOpaque(r, PAD + slot, before + 1L);
            return (before & (int) SAMPLE_MASK.getOpaque(p)) == 0;
        }

        /**
         * Counts one event in {@code slot} and decides whether it is timed, as {@link Probe#tick} does, on this side's
         * row when the calling thread owns it: one call in (sample mask + 1) of the row's own count is timed.
         */
        public long tick(int slot) {
            final Probe p = probe;
            if (skips(p, slot, 1L)) {
                return 0L;
            }
            return owned() ? tickOwned(p, row, slot) : p.stripeTick(slot);
        }

        /**
         * Whether the calling thread owns this side's row, claiming it when no thread has yet: the first thread to
         * count here owns the row for good; every other thread counts on the probe's stripes. A side without
         * a row is never owned.
         */
        private boolean owned() {
            final Thread me = Thread.currentThread();
            final Thread o = owner;
            return o == me || (o == null && row != null && OWNER.compareAndSet(this, (Thread) null, me));
        }

        private static long tickOwned(Probe p, long[] r, int slot) {
            final long before = r[PAD + slot];
            CELLS.setOpaque(r, PAD + slot, before + 1L);
            if ((before & (int) SAMPLE_MASK.getOpaque(p)) != 0 || (boolean) DETAIL_SHED.getOpaque(p)) {
                return 0L;
            }
            return System.nanoTime();
        }
    }

    /** Whether the next timing of this probe should be taken; for timings not tied to a counted event. */
    public boolean sampled(int slot) {
        return tick(slot) != 0L;
    }

    /** Records {@code now - start} into a distribution when {@code start} is a timestamp from {@link #tick}. */
    public void recordSince(int dist, long start) {
        if (start != 0L) {
            record(dist, System.nanoTime() - start);
        }
    }

    /** Records one value into a distribution; ignored when this probe's kind has no such distribution. */
    public void record(int dist, long value) {
        final BucketHistogram h = dists[dist];
        if (h != null && !skips(this) && !(boolean) DETAIL_SHED.getOpaque(this)) {
            h.record(value);
        }
    }

    /**
     * Called when recording code hit an unexpected throwable. A {@link VirtualMachineError} (a
     * {@link StackOverflowError} from the application's deep stack, an {@link OutOfMemoryError} from its full heap) says
     * nothing about the recording code: it is counted ({@link #hostFaults}) and the probe goes on. Anything else is the
     * agent's own defect: it stops this probe and keeps the first cause for the cold side to log once. Either way the
     * application's call goes on as if nothing was recorded. Allocation-free.
     */
    public void fail(Throwable cause) {
        if (cause instanceof VirtualMachineError) {
            HOST_FAULTS.getAndAdd(this, 1L);
            return;
        }
        FAULT.compareAndSet(this, (Throwable) null, cause);
        STATE.getAndBitwiseOrRelease(this, FAILED);
        DISABLED_PROBES.incrementAndGet();
    }

    /** Counts {@link #fail} calls that disabled a probe (again or not), so the cold side can skip its walk for them. */
    private static final AtomicInteger DISABLED_PROBES = new AtomicInteger();

    /**
     * How many times a probe was disabled since start; it only grows. The cold side walks the probes for newly
     * disabled ones only when this moved, instead of every tick. Cold side.
     */
    public static int disabledCount() {
        return DISABLED_PROBES.get();
    }

    /**
     * Whether recording is skipped for probe {@code p}: all recording is off ({@link RecordingSwitch}), or this probe
     * does not record (failed, turned off, or its module turned off: one read of {@link #state} for all three). The
     * first read of every recording entry point.
     */
    private static boolean skips(Probe p) {
        if (RecordingSwitch.off()) {
            return true;
        }
        final int s = (int) STATE.getOpaque(p);
        return s != 0 && s != TRACED;
    }

    /**
     * {@link #skips(Probe)} for an entry point that counts an event ({@code n} in counter {@code slot}, or in the
     * packed pair {@code slot - PACKED_EVENT}): the same one read of the state, and only when it is not 0, so never
     * for a probe that records untraced, {@link #skipsOrTraces} decides out of line.
     */
    private static boolean skips(Probe p, int slot, long n) {
        if (RecordingSwitch.off()) {
            return true;
        }
        final int s = (int) STATE.getOpaque(p);
        return s != 0 && skipsOrTraces(p, s, slot, n);
    }

    /**
     * The out-of-line rest of {@link #skips(Probe, int, long)} for a probe whose state is not 0: skips when it does
     * not record; when it records and is traced, hands the event to the {@link Trace} and does not skip.
     */
    private static boolean skipsOrTraces(Probe p, int s, int slot, long n) {
        if (s != TRACED) {
            return true;
        }
        try {
            Trace.record(p, slot >= PACKED_EVENT ? callSlot(slot - PACKED_EVENT) : slot, n);
        } catch (Throwable t) {
            // A trace never costs the probe its counting: the entry is lost, the count goes on.
        }
        return false;
    }

    /** Event codes from {@code PACKED_EVENT} on name a packed pair (the call counter it stands for is traced). */
    private static final int PACKED_EVENT = Slot.COUNT;

    /** How many throwables of the host's making ({@link VirtualMachineError}s) recording met and skipped. */
    public long hostFaults() {
        return (long) HOST_FAULTS.getOpaque(this);
    }

    /**
     * Remembers an instance (a queue or pool) created at this site, weakly, for gauges sampled on the cold side.
     * Called from constructors, never per message.
     */
    public void track(Object instance) {
        if (instanceCount.incrementAndGet() <= MAX_TRACKED_INSTANCES) {
            instances.add(new InstanceRef(instance));
        } else {
            instanceCount.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- cold side

    /**
     * A gauge read from each live tracked instance and summed by the snapshot (a library object's own size, read
     * through its public API). Runs on the agent's thread only; it may be slow or throw, never on an application
     * thread.
     *
     * @param gauge the {@code snapshot.Gauge} index the sum goes to
     * @param reader reads the value of one instance; a value below 0 or a throw counts as nothing
     */
    public record InstanceGauge(int gauge, java.util.function.ToLongFunction<Object> reader) {}

    /** Sets the gauge read from this probe's tracked instances (see {@link InstanceGauge}). */
    public void instanceGauge(InstanceGauge gauge) {
        this.instanceGauge = gauge;
    }

    /** The gauge read from this probe's tracked instances, or null. */
    public InstanceGauge instanceGauge() {
        return instanceGauge;
    }

    /** Whether recording stopped after a fault. */
    public boolean disabled() {
        return ((int) STATE.getAcquire(this) & FAILED) != 0;
    }

    /**
     * Why this probe does not record: 0 while it records, else a sum of {@link #FAILED}, {@link #OFF},
     * {@link #MODULE_OFF}. The global switch ({@link RecordingSwitch}) is not part of it.
     */
    public int state() {
        return (int) STATE.getAcquire(this) & ~TRACED;
    }

    /** Whether this probe is being traced ({@link Trace}). */
    public boolean traced() {
        return ((int) STATE.getAcquire(this) & TRACED) != 0;
    }

    /** Sets or clears {@link #TRACED}; {@link Trace} only. */
    void traced(boolean on) {
        setBit(TRACED, on);
    }

    /** The state's word: {@code on}, {@code failed}, {@code off} or {@code module-off} (the first reason that holds). */
    public static String stateWord(int state) {
        if ((state & FAILED) != 0) {
            return "failed";
        }
        if ((state & OFF) != 0) {
            return "off";
        }
        return (state & MODULE_OFF) != 0 ? "module-off" : "on";
    }

    /**
     * Turns this probe's recording off ({@code true}) or on again ({@code false}) for the operator: every recording
     * entry point returns at its first read while it is off; on again, counting resumes from the totals it had (the
     * calls in between are not counted). A probe that failed stays off ({@link #FAILED} is not cleared). Cold side.
     */
    public void operatorOff(boolean off) {
        setBit(OFF, off);
    }

    void moduleOff(boolean off) {
        setBit(MODULE_OFF, off);
    }

    private void setBit(int bit, boolean set) {
        if (set) {
            STATE.getAndBitwiseOrRelease(this, bit);
        } else {
            STATE.getAndBitwiseAndRelease(this, ~bit);
        }
    }

    /** The {@link ProbeModules} module this probe belongs to (0: none). */
    public int module() {
        return module;
    }

    void module(int m) {
        module = m;
    }

    /** The first throwable that disabled this probe, or null. */
    public Throwable fault() {
        return (Throwable) FAULT.getAcquire(this);
    }

    /**
     * Sheds or restores this probe's detail (timings and distributions); its counters keep counting every event.
     * Cold side: the overhead budget.
     */
    public void detailShed(boolean shed) {
        DETAIL_SHED.setOpaque(this, shed);
    }

    /** Whether this probe's detail is shed (see {@link #detailShed(boolean)}). */
    public boolean detailShed() {
        return (boolean) DETAIL_SHED.getOpaque(this);
    }

    /**
     * Sets the sample mask probes constructed from now on start with (a power of two minus one; 0 times every call
     * until the cold side has seen the probe's rate). The agent sets it from its timing target before it instruments
     * anything, so that a target high enough to time every call does so from the first call, not from the first tick.
     */
    public static void initialSampleMask(int mask) {
        if (mask < 0 || (mask & (mask + 1)) != 0) {
            throw new IllegalArgumentException("sample mask must be a power of two minus one: " + mask);
        }
        initialSampleMask = mask;
    }

    /** Sets the timing sample mask: a power of two minus one; 0 times every call. */
    public void sampleMask(int mask) {
        SAMPLE_MASK.setOpaque(this, mask);
    }

    /** The current timing sample mask. */
    public int sampleMask() {
        return (int) SAMPLE_MASK.getOpaque(this);
    }

    /**
     * Makes counter {@code fromSlot} of {@code part} a part of this probe's counter {@code toSlot}: {@link #total}
     * adds it when read. For an aggregate whose events are recorded once, on a finer probe (a socket operation whose
     * calls and bytes are counted on the connection's endpoint probe), so the hot path adds once and every reader still
     * sees the aggregate. Adding the same part twice has no effect. A part must not have parts of its own.
     *
     * <p>Takes no lock: a new endpoint joins its family's operation probes from advice, on an application thread
     * ({@code Endpoints}), while the snapshot may hold this probe's {@link #rowLock}. The array is copied and swapped in
     * with a compare-and-set, retried when another part came in between; allocates, once per part.
     */
    public void sumOf(Probe part, int fromSlot, int toSlot) {
        if (part == this || part.parts.length > 0) {
            throw new IllegalArgumentException("probe " + part.name + " cannot be a part of " + name
                    + ": a part is another probe with no parts of its own");
        }
        final Part added = new Part(part, fromSlot, toSlot);
        Part[] was;
        Part[] now;
        do {
            was = parts;
            for (Part p : was) {
                if (p.equals(added)) {
                    return;
                }
            }
            now = java.util.Arrays.copyOf(was, was.length + 1);
            now[was.length] = added;
        } while (!PARTS.compareAndSet(this, was, now));
    }

    /**
     * Every counter's cumulative total at once, as {@link #total} gives them one by one, into {@code out}
     * ({@link Slot#COUNT} long), for a reader that wants them all (the snapshot, every probe every tick): one fold of
     * the packed cells and of ended rows, and two holds of the row lock, where reading the counters one by one took the
     * lock, walked the rows and folded once per counter.
     *
     * <p>The slots in {@code firstRead} (with the parts summed into them) are read before the others, with an acquire
     * fence between: a caller that reads the "out" side first makes a torn read overstate a depth rather than make it
     * negative, as when reading one by one in that order. Cold side.
     *
     * @param firstRead slots to read before all others
     * @param out receives the totals by slot
     */
    public void totals(int[] firstRead, long[] out) {
        final Part[] ps = parts;
        long first = 0L;
        for (int slot : firstRead) {
            first |= 1L << slot;
        }
        synchronized (rowLock) {
            foldPacked();
            if (!rows.isEmpty()) {
                foldEndedRows();
            }
            sumLocked(first, out);
        }
        if (ps.length != 0) {
            for (int slot : firstRead) {
                out[slot] += partsTotal(ps, slot);
            }
        }
        // The fences inside sumLocked keep the reads above before those below.
        synchronized (rowLock) {
            sumLocked(~first, out);
        }
        if (ps.length != 0) { // most probes have no parts: no pass over every slot for nothing
            for (int slot = 0; slot < Slot.COUNT; slot++) {
                if ((first & (1L << slot)) == 0) {
                    out[slot] += partsTotal(ps, slot);
                }
            }
        }
    }

    /**
     * Sets {@code out[slot]}, for each slot in the bit set {@code slots}, to the counter's total over the live rows and
     * the stripes, with packed cells and ended rows already folded. Called under {@link #rowLock}.
     *
     * <p>The cells are read row by row with plain reads between two acquire fences: the fences keep every read of this
     * call after the reads before it and before the reads after it (which is all {@link #totals} orders), and each call
     * reads afresh, so nothing is hoisted or served from an earlier tick. A plain read of an aligned long is whole on a
     * 64-bit JVM; where a JVM may split it ({@link #PLAIN_LONG_READS} false) the reads are opaque. Compiled, both are
     * the same load; the plain one matters while this code is not compiled yet, where a VarHandle call costs ten times
     * an array read. This runs for every counter of every probe every tick, ten times a second, so for the first minute
     * of a run it is interpreted or profiled code, and it was most of the snapshot's cost then.
     */
    private void sumLocked(long slots, long[] out) {
        for (int slot = 0; slot < Slot.COUNT; slot++) {
            if ((slots & (1L << slot)) != 0) {
                out[slot] = 0L;
            }
        }
        VarHandle.acquireFence();
        // Most probes have no rows (no instance sides): a look first spares an iterator per call.
        if (!rows.isEmpty()) {
            for (OwnedRow r : rows) {
                addRow(r.row(), PAD, slots, out);
            }
        }
        final long[] c = cells;
        for (int s = 0; s < Stripes.COUNT; s++) {
            addRow(c, PAD + s * STRIDE, slots, out);
        }
        VarHandle.acquireFence();
    }

    private static void addRow(long[] row, int base, long slots, long[] out) {
        if (PLAIN_LONG_READS) {
            for (int slot = 0; slot < Slot.COUNT; slot++) {
                if ((slots & (1L << slot)) != 0) {
                    out[slot] += row[base + slot];
                }
            }
        } else {
            for (int slot = 0; slot < Slot.COUNT; slot++) {
                if ((slots & (1L << slot)) != 0) {
                    out[slot] += (long) CELLS.getOpaque(row, base + slot);
                }
            }
        }
    }

    /**
     * Whether a plain read of a long is whole on this JVM (see {@link #sumLocked}): every 64-bit one. Also read by
     * {@link BucketHistogram}'s copies.
     */
    static final boolean PLAIN_LONG_READS = "64".equals(System.getProperty("sun.arch.data.model"));

    /** What the parts add to {@code slot}; outside this probe's lock (a part takes its own). */
    private static long partsTotal(Part[] ps, int slot) {
        long sum = 0;
        for (Part p : ps) {
            if (p.to() == slot) {
                sum += p.probe().ownTotal(p.from());
            }
        }
        return sum;
    }

    /** The cumulative total of one counter over all stripes, plus the parts summed into it ({@link #sumOf}). */
    public long total(int slot) {
        long sum = ownTotal(slot);
        // Outside this probe's lock: a part takes its own, and parts never have parts, so locks nest at most one deep.
        for (Part p : parts) {
            if (p.to() == slot) {
                sum += p.probe().ownTotal(p.from());
            }
        }
        return sum;
    }

    private long ownTotal(int slot) {
        synchronized (rowLock) {
            if (slot == Slot.IN
                    || slot == Slot.OUT
                    || slot == Slot.BYTES_OUT
                    || slot == Slot.BYTES_IN
                    || slot == Slot.BATCHES) {
                foldPacked();
            }
            long sum = 0;
            if (!rows.isEmpty()) {
                foldEndedRows();
                for (OwnedRow r : rows) {
                    sum += (long) CELLS.getOpaque(r.row(), PAD + slot);
                }
            }
            final long[] c = cells;
            for (int s = 0; s < Stripes.COUNT; s++) {
                sum += (long) CELLS.getOpaque(c, PAD + s * STRIDE + slot);
            }
            return sum;
        }
    }

    /**
     * Moves what the packed cells counted into the plain counters of their stripe. The totals are added first and
     * then taken out of the packed cell with an atomic add of the negated value read, so adds that land in between
     * stay in the cell for the next fold; every reader folds under {@link #rowLock}, so none sees a figure twice or
     * not at all. Each field of the value read is at most the cell's field, so the subtraction borrows nothing.
     * Called under {@link #rowLock}.
     */
    private void foldPacked() {
        final long[] c = cells;
        for (int s = 0; s < Stripes.COUNT; s++) {
            final int base = PAD + s * STRIDE;
            for (int pair = 0; pair < PAIRS; pair++) {
                // Most probes never use their packed cells: a plain look first spares them the volatile read (see
                // sumLocked for why the number of VarHandle calls here matters). A cell seen empty just as it is added
                // to is folded by the next read, as one added to just after a volatile read would be.
                if (PLAIN_LONG_READS && c[base + PACKED + pair] == 0L) {
                    continue;
                }
                final long packed = (long) CELLS.getVolatile(c, base + PACKED + pair);
                if (packed != 0L) {
                    CELLS.getAndAdd(c, base + callSlot(pair), packed & CALL_MASK);
                    CELLS.getAndAdd(c, base + byteSlot(pair), packed >>> CALL_BITS);
                    CELLS.getAndAdd(c, base + PACKED + pair, -packed);
                }
            }
        }
    }

    /**
     * Moves the rows of instances that were collected into stripe 0. An instance's row is final once no thread can
     * reach the instance; its owner's last opaque store is ordered before the collection by
     * the safepoint at which the collector found the instance unreachable. Called under {@link #rowLock}.
     */
    private void foldEndedRows() {
        for (java.util.Iterator<OwnedRow> it = rows.iterator(); it.hasNext(); ) {
            final OwnedRow r = it.next();
            if (r.key().get() == null) {
                final long[] row = r.row();
                for (int slot = 0; slot < Slot.COUNT; slot++) {
                    CELLS.getAndAdd(cells, PAD + slot, (long) CELLS.getOpaque(row, PAD + slot));
                }
                it.remove();
                sideRows.decrementAndGet();
            }
        }
    }

    /** Copies the cumulative totals of all counters into {@code out} ({@link Slot#COUNT} long). */
    public void readCounters(long[] out) {
        for (int slot = 0; slot < Slot.COUNT; slot++) {
            out[slot] = total(slot);
        }
    }

    /** Whether this probe records the given distribution. */
    public boolean has(int dist) {
        return dists[dist] != null;
    }

    /** Copies a distribution's cumulative counts ({@link BucketHistogram#LENGTH} long); false if it has none. */
    public boolean readDist(int dist, long[] out) {
        final BucketHistogram h = dists[dist];
        if (h == null) {
            return false;
        }
        h.readCounts(out);
        return true;
    }

    /**
     * Copies a distribution that an earlier copy exists of, reading only what can have moved since
     * ({@link BucketHistogram#readCountsSince}). Cold side.
     *
     * @param previous an earlier copy of this probe's distribution {@code dist}, which must exist
     * @return whether {@code out} differs from {@code previous}
     */
    public boolean readDistSince(int dist, long[] previous, long[] out) {
        return dists[dist].readCountsSince(previous, out);
    }

    /** How many instances are tracked now, collected ones not yet dropped by a walk included. Cold side. */
    public int trackedInstances() {
        return instanceCount.get();
    }

    /**
     * Calls {@code visitor} for each live tracked instance and drops the ones collected. Runs on the cold side.
     */
    public void forEachInstance(java.util.function.Consumer<Object> visitor) {
        if (instances.isEmpty()) {
            return; // most probes track no instance; the snapshot asks every one every tick, so spare the iterator
        }
        for (java.util.Iterator<InstanceRef> it = instances.iterator(); it.hasNext(); ) {
            final InstanceRef ref = it.next();
            final Object o = ref.get();
            if (o == null) {
                // Two walkers (the agent's snapshot, the exporter's) may both see this reference cleared and both
                // unlink it; the iterator's remove does not say which one did. Only the walker that claims the
                // reference gives its place back, so the count stays exact and the cap stays a cap.
                if (ref.claimDropped()) {
                    instanceCount.decrementAndGet();
                }
                it.remove();
            } else {
                visitor.accept(o);
            }
        }
    }

    /** A tracked instance, weakly held, taken off the count once whoever sees it collected first. */
    private static final class InstanceRef extends WeakReference<Object> {
        private static final VarHandle DROPPED;

        static {
            try {
                DROPPED = MethodHandles.lookup().findVarHandle(InstanceRef.class, "dropped", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // written through DROPPED
        private boolean dropped;

        InstanceRef(Object referent) {
            super(referent);
        }

        /** True for the one caller that drops this reference, false for every later one. */
        boolean claimDropped() {
            return DROPPED.compareAndSet(this, false, true);
        }
    }

    @Override
    public String toString() {
        return "Probe[" + id + " " + kind.label() + " " + name + "]";
    }
}
