package io.hotpath.agent.analyze;

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
 * Reads GC, CPU and thread state from the platform MXBeans. Collectors whose bean counts concurrent work rather than
 * pauses ({@code G1 Concurrent GC}, {@code ZGC Cycles}, {@code Shenandoah Cycles}) are left out of the pause time.
 * Blocked time is estimated from thread states: at each reading, the threads {@code BLOCKED} on a monitor times the
 * time since the last reading (reading states without stack traces needs no safepoint). JVM-wide thread contention
 * monitoring makes {@link ThreadInfo#getBlockedTime()} exact, but it is turned on only when the user asks for it
 * ({@code hotpath.analyzer.locks.monitoring}): it changes the whole JVM, adding clock reads to every contended monitor
 * enter, wait and park of the application, and it stays on for other tools to see. Threads of the agent itself
 * ({@code hotpath-*}) are not counted.
 */
final class MxJvmSource implements JvmSource {
    private final boolean contentionMonitoring;
    private final List<GarbageCollectorMXBean> pauseCollectors = new ArrayList<>();
    private ThreadMXBean threads;
    private java.lang.management.OperatingSystemMXBean os;
    private boolean exactBlockedTime;
    private Map<Long, Long> lastBlockedTime = new HashMap<>();
    private long blockedMillis;
    private long lastReadingNanos;

    /**
     * The MXBeans (java.management, some hundred classes) are looked up at the first reading, on the analyzer's
     * thread, not here: the analyzer is created in premain, which the application waits for.
     */
    MxJvmSource(boolean contentionMonitoring) {
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

    @Override
    public long gcCount() {
        open();
        long sum = 0;
        for (GarbageCollectorMXBean gc : pauseCollectors) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        return sum;
    }

    @Override
    public long processCpuNanos() {
        open();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    @Override
    public double machineCpuLoad() {
        open();
        // In a container both read files (/proc, cgroups) on every call; the machine's load and the processor count
        // change slowly, so they are re-read at most once a second and once every ten seconds.
        final long now = System.nanoTime();
        if (machineLoadAt == 0 || now - machineLoadAt >= 1_000_000_000L) {
            machineLoadAt = now;
            machineLoad = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getCpuLoad() : -1;
        }
        return machineLoad;
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

    private long machineLoadAt;
    private double machineLoad;
    private long processorsAt;
    private int processors;

    @Override
    public ThreadReading threads() {
        open();
        final long now = System.nanoTime();
        final ThreadInfo[] infos = threads.getThreadInfo(threads.getAllThreadIds(), 0);
        final Map<Long, Long> blockedTime = exactBlockedTime ? new HashMap<>(infos.length * 2) : lastBlockedTime;
        final Map<String, Integer> locks = new HashMap<>();
        int blockedNow = 0;
        for (ThreadInfo info : infos) {
            if (info == null || info.getThreadName().startsWith("hotpath-")) {
                continue;
            }
            if (info.getThreadState() == Thread.State.BLOCKED) {
                blockedNow++;
                final String lock = info.getLockName()
                        + (info.getLockOwnerName() == null ? "" : " held by " + info.getLockOwnerName());
                locks.merge(lock, 1, Integer::sum);
            }
            if (exactBlockedTime) {
                final long t = info.getBlockedTime();
                if (t >= 0) {
                    final Long before = lastBlockedTime.get(info.getThreadId());
                    blockedMillis += Math.max(0, t - (before == null ? t : before));
                    blockedTime.put(info.getThreadId(), t);
                }
            }
        }
        if (!exactBlockedTime && lastReadingNanos != 0) {
            blockedMillis += blockedNow * ((now - lastReadingNanos) / 1_000_000L);
        }
        lastBlockedTime = blockedTime;
        lastReadingNanos = now;
        String hot = "";
        int most = 0;
        for (Map.Entry<String, Integer> e : locks.entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                hot = e.getKey();
            }
        }
        return new ThreadReading(blockedMillis, blockedNow, hot);
    }
}
