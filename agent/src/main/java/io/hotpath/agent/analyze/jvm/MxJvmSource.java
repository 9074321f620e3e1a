package io.hotpath.agent.analyze.jvm;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads GC, CPU and thread state from the platform MXBeans and the thread objects. Collectors whose bean counts concurrent work rather than
 * pauses ({@code G1 Concurrent GC}, {@code ZGC Cycles}, {@code Shenandoah Cycles}) are left out of the pause time.
 * Blocked time is estimated from thread states: at each reading, the threads {@code BLOCKED} on a monitor times the
 * time since the last reading (reading states without stack traces needs no safepoint). JVM-wide thread contention
 * monitoring makes {@link ThreadInfo#getBlockedTime()} exact, but it is turned on only when the user asks for it
 * ({@code hotpath.analyzer.locks.monitoring}): it changes the whole JVM, adding clock reads to every contended monitor
 * enter, wait and park of the application, and it stays on for other tools to see. Threads of the agent itself
 * ({@code hotpath-*}) are not counted.
 */
public final class MxJvmSource implements JvmSource {
    private final boolean contentionMonitoring;
    private final List<GarbageCollectorMXBean> pauseCollectors = new ArrayList<>();
    private ThreadMXBean threads;
    private java.lang.management.OperatingSystemMXBean os;
    /** Null when the JVM has no JIT (-Xint) or does not time its compilations. */
    private CompilationMXBean jit;

    private boolean exactBlockedTime;
    /** Blocked time by thread id at the previous reading and this one; swapped each reading, never rebuilt. */
    private ThreadTimes lastBlockedTime = new ThreadTimes();

    private ThreadTimes blockedTime = new ThreadTimes();
    /** Threads blocked per monitor in this reading; reused, and touched only when a thread is blocked. */
    private final Map<String, Integer> locks = new HashMap<>();

    private long blockedMillis;
    private long lastReadingNanos;

    /** The JVM's root thread group, and a reused array its threads are listed into. */
    private ThreadGroup root;

    private Thread[] scratch = new Thread[64];

    /**
     * The MXBeans (java.management, some hundred classes) are looked up at the first reading, on the analyzer's
     * thread, not here: the analyzer is created in premain, which the application waits for.
     */
    public MxJvmSource(boolean contentionMonitoring) {
        this.contentionMonitoring = contentionMonitoring;
    }

    private void open() {
        if (threads != null) {
            return;
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            final String name = gc.getName().toLowerCase(Locale.ROOT);
            if (!name.contains("concurrent") && !name.contains("cycles")) {
                pauseCollectors.add(gc);
            }
        }
        os = ManagementFactory.getOperatingSystemMXBean();
        final CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        jit = c != null && c.isCompilationTimeMonitoringSupported() ? c : null;
        final ThreadMXBean t = ManagementFactory.getThreadMXBean();
        boolean exact = false;
        if (contentionMonitoring && t.isThreadContentionMonitoringSupported()) {
            try {
                t.setThreadContentionMonitoringEnabled(true);
                exact = true;
            } catch (UnsupportedOperationException | SecurityException e) {
                exact = false;
            }
        }
        exactBlockedTime = exact;
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        root = g;
        threads = t;
    }

    @Override
    public long gcPauseMillis() {
        open();
        long sum = 0;
        for (GarbageCollectorMXBean gc : pauseCollectors) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /**
     * The collection count as last read, while {@link #gcSentinel} holds its object: the detector asks every tick, and
     * reading the count is a call into the VM per collector (about 20 µs a tick on a busy machine, where this code is
     * cold), while most ticks see no collection.
     *
     * <p>The sentinel's object is reachable only through the weak reference and was allocated after the last read, so
     * the first collection of any kind clears it. A collection may clear it before the JVM counts that collection (and
     * a concurrent collector counts its pauses over a whole cycle), so once it is cleared the count is read every call
     * until two reads in a row agree, and only then is a new sentinel set: a pause counted after the clearing is then
     * read on the next tick, not at the next collection.
     */
    private long gcCountRead = -1;

    private java.lang.ref.WeakReference<Object> gcSentinel;

    @Override
    public long gcCount() {
        open();
        if (gcSentinel != null && gcSentinel.get() != null) {
            return gcCountRead;
        }
        long sum = 0;
        for (GarbageCollectorMXBean gc : pauseCollectors) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        gcSentinel = sum == gcCountRead ? new java.lang.ref.WeakReference<>(new Object()) : null;
        gcCountRead = sum;
        return sum;
    }

    @Override
    public long processCpuNanos() {
        return ProcessCpu.nanos();
    }

    @Override
    public double machineCpuLoad() {
        open();
        // In a container both read files (/proc, cgroups) on every call, about a millisecond of CPU for the load; the
        // machine's load only explains a slow process (an info finding) and the processor count changes slowly, so
        // they are re-read at most every five seconds and every ten seconds.
        // The JVM computes the load over the time since its previous reading: the very first one covers no time and
        // answers 0 however busy the machine is (seen as "process 90%, machine 0%" at start-up). So the first call
        // only starts that interval and answers unknown; the next call, a jvm.interval later, reads a real load.
        final long now = System.nanoTime();
        if (machineLoadAt == 0) {
            machineLoadAt = now;
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                sun.getCpuLoad();
            }
            machineLoad = -1;
            primed = true;
        } else if (primed || now - machineLoadAt >= MACHINE_LOAD_EVERY_NANOS) {
            machineLoadAt = now;
            machineLoad = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getCpuLoad() : -1;
            primed = false;
        }
        return machineLoad;
    }

    @Override
    public long jitMillis() {
        open();
        return jit == null ? -1 : jit.getTotalCompilationTime();
    }

    @Override
    public int processors() {
        open();
        final long now = System.nanoTime();
        if (processorsAt == 0 || now - processorsAt >= 10_000_000_000L) {
            processorsAt = now;
            processors = Math.max(1, os.getAvailableProcessors());
        }
        return processors;
    }

    private static final long MACHINE_LOAD_EVERY_NANOS = 5_000_000_000L;

    private long machineLoadAt;
    private double machineLoad;
    /** The first reading was taken only to start the JVM's interval; the next call reads the load. */
    private boolean primed;

    private long processorsAt;
    private int processors;

    @Override
    public ThreadReading threads() {
        open();
        return exactBlockedTime ? exactThreads() : sampledThreads();
    }

    /**
     * Counts the application's threads blocked on a monitor from their states, read straight off the thread objects:
     * a field read per thread, where a {@link ThreadInfo} per thread (names, lock, a call into the VM) made this
     * reading, every {@code analyzer.jvm.interval}, the most expensive thing the analyzer did on a quiet JVM. Only a
     * blocked thread gets a {@link ThreadInfo}, for the name of the lock it waits for.
     */
    private ThreadReading sampledThreads() {
        final long now = System.nanoTime();
        int n = root.enumerate(scratch, true);
        while (n == scratch.length) {
            scratch = new Thread[scratch.length * 2];
            n = root.enumerate(scratch, true);
        }
        locks.clear();
        int blockedNow = 0;
        for (int i = 0; i < n; i++) {
            final Thread t = scratch[i];
            scratch[i] = null; // hold no thread past the reading
            if (t.getState() != Thread.State.BLOCKED || t.getName().startsWith("hotpath-")) {
                continue;
            }
            final ThreadInfo info = threads.getThreadInfo(t.getId(), 0);
            if (info == null || info.getThreadState() != Thread.State.BLOCKED) {
                continue; // ended or moved on since its state was read
            }
            blockedNow++;
            countLock(info);
        }
        if (lastReadingNanos != 0) {
            blockedMillis += blockedNow * ((now - lastReadingNanos) / 1_000_000L);
        }
        lastReadingNanos = now;
        return new ThreadReading(blockedMillis, blockedNow, hotLock());
    }

    private void countLock(ThreadInfo info) {
        final String lock =
                info.getLockName() + (info.getLockOwnerName() == null ? "" : " held by " + info.getLockOwnerName());
        locks.merge(lock, 1, Integer::sum);
    }

    private String hotLock() {
        String hot = "";
        int most = 0;
        for (Map.Entry<String, Integer> e : locks.entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                hot = e.getKey();
            }
        }
        return hot;
    }

    /** With contention monitoring on: every thread's {@link ThreadInfo}, for its exact blocked time. */
    private ThreadReading exactThreads() {
        final long now = System.nanoTime();
        final ThreadInfo[] infos = threads.getThreadInfo(threads.getAllThreadIds(), 0);
        blockedTime.clear();
        locks.clear();
        int blockedNow = 0;
        for (ThreadInfo info : infos) {
            if (info == null || info.getThreadName().startsWith("hotpath-")) {
                continue;
            }
            if (info.getThreadState() == Thread.State.BLOCKED) {
                blockedNow++;
                countLock(info);
            }
            final long t = info.getBlockedTime();
            if (t >= 0) {
                final long before = lastBlockedTime.get(info.getThreadId(), t);
                blockedMillis += Math.max(0, t - before);
                blockedTime.put(info.getThreadId(), t);
            }
        }
        final ThreadTimes read = blockedTime;
        blockedTime = lastBlockedTime;
        lastBlockedTime = read;
        lastReadingNanos = now;
        return new ThreadReading(blockedMillis, blockedNow, hotLock());
    }

    /**
     * Thread id to a time in milliseconds, open addressing over two primitive arrays: read every 200 ms for every
     * thread of the JVM, where boxed maps made a few hundred objects per reading. Thread ids are positive, so 0 marks
     * a free slot.
     */
    static final class ThreadTimes {
        private long[] keys = new long[64];
        private long[] values = new long[64];
        private int size;

        void clear() {
            if (size > 0) {
                java.util.Arrays.fill(keys, 0L);
                size = 0;
            }
        }

        long get(long id, long absent) {
            final int mask = keys.length - 1;
            for (int i = slot(id, mask); ; i = (i + 1) & mask) {
                final long k = keys[i];
                if (k == id) {
                    return values[i];
                }
                if (k == 0) {
                    return absent;
                }
            }
        }

        void put(long id, long value) {
            if (id <= 0) {
                return;
            }
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            final int mask = keys.length - 1;
            for (int i = slot(id, mask); ; i = (i + 1) & mask) {
                if (keys[i] == id) {
                    values[i] = value;
                    return;
                }
                if (keys[i] == 0) {
                    keys[i] = id;
                    values[i] = value;
                    size++;
                    return;
                }
            }
        }

        int size() {
            return size;
        }

        private void grow() {
            final long[] oldKeys = keys;
            final long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long id, int mask) {
            return (int) ((id * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        }
    }
}
