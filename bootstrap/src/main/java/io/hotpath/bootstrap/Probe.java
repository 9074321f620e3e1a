package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instrumented site: striped cumulative counters, sampled distributions, and the weakly held instances (queues,
 * pools) created there. Everything an application thread calls here is wait-free and allocation-free: one atomic add
 * on the caller's stripe, and on sampled calls a {@link System#nanoTime()} pair and two more adds.
 *
 * <p>Counter layout: one block of {@link Slot#COUNT} longs per stripe, each block followed by {@link #PAD} unused
 * longs, and a leading pad, so that two stripes never share a cache line (even with adjacent-line prefetch).
 *
 * <pre>
 * | pad 8 | stripe 0: 16 counters | pad 8 | stripe 1: 16 counters | pad 8 | ...
 * </pre>
 */
public final class Probe {
    private static final int PAD = 8;
    private static final int STRIDE = Slot.COUNT + PAD;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SAMPLE_MASK;
    private static final VarHandle DISABLED;
    private static final VarHandle DETAIL_SHED;
    private static final VarHandle FAULT;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SAMPLE_MASK = lookup.findVarHandle(Probe.class, "sampleMask", int.class);
            DISABLED = lookup.findVarHandle(Probe.class, "disabled", boolean.class);
            DETAIL_SHED = lookup.findVarHandle(Probe.class, "detailShed", boolean.class);
            FAULT = lookup.findVarHandle(Probe.class, "fault", Throwable.class);
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
    private final AtomicInteger instanceCount = new AtomicInteger();

    /** Calls are timed when (count on this stripe & sampleMask) == 0; written by the cold side only. */
    private int sampleMask;

    private boolean disabled;

    /**
     * Set by the agent's overhead budget: this probe still counts every event but times none and records into no
     * distribution. Read on the hot side only where a timing or a distribution add would follow.
     */
    private boolean detailShed;

    private Throwable fault;

    /** Reads one gauge from each tracked instance on the cold side; null for none. Set once, by the agent. */
    private volatile InstanceGauge instanceGauge;

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
     * sampled event, 0 otherwise. Pass the result to {@link #recordSince}.
     */
    public long tick(int slot) {
        if ((boolean) DISABLED.getOpaque(this)) {
            return 0L;
        }
        final long before = (long) CELLS.getAndAdd(cells, base() + slot, 1L);
        if ((before & (int) SAMPLE_MASK.getOpaque(this)) != 0 || (boolean) DETAIL_SHED.getOpaque(this)) {
            return 0L;
        }
        return System.nanoTime();
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
        if (!(boolean) DISABLED.getOpaque(this)) {
            CELLS.getAndAdd(cells, base() + slot, n);
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
        if (h != null && !(boolean) DISABLED.getOpaque(this) && !(boolean) DETAIL_SHED.getOpaque(this)) {
            h.record(value);
        }
    }

    /**
     * Called when recording code hit an unexpected throwable: stops this probe and keeps the first cause for the cold
     * side to log once. The application's call goes on as if nothing was recorded.
     */
    public void fail(Throwable cause) {
        FAULT.compareAndSet(this, (Throwable) null, cause);
        DISABLED.setRelease(this, true);
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
        return (boolean) DISABLED.getAcquire(this);
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

    /** Sets the timing sample mask: a power of two minus one; 0 times every call. */
    public void sampleMask(int mask) {
        SAMPLE_MASK.setOpaque(this, mask);
    }

    /** The current timing sample mask. */
    public int sampleMask() {
        return (int) SAMPLE_MASK.getOpaque(this);
    }

    /** The cumulative total of one counter over all stripes. */
    public long total(int slot) {
        final long[] c = cells;
        long sum = 0;
        for (int s = 0; s < Stripes.COUNT; s++) {
            sum += (long) CELLS.getOpaque(c, PAD + s * STRIDE + slot);
        }
        return sum;
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

    /** How many instances are tracked now, collected ones not yet dropped by a walk included. Cold side. */
    public int trackedInstances() {
        return instanceCount.get();
    }

    /**
     * Calls {@code visitor} for each live tracked instance and drops the ones collected. Runs on the cold side.
     */
    public void forEachInstance(java.util.function.Consumer<Object> visitor) {
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
