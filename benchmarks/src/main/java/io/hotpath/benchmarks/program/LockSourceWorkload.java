package io.hotpath.benchmarks.program;

import java.lang.management.ManagementFactory;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Workloads for what the analyzer's lock-contention source costs the application (benchmarks/lock-source-cost.sh):
 *
 * <ul>
 *   <li>{@code idle}: the main thread sleeps; all CPU is the JVM's and the agent's own;
 *   <li>{@code handoff}: two threads pass a token through a {@link SynchronousQueue}, so every hand-off parks and
 *       unparks a thread (what JVM-wide contention monitoring adds clock reads to);
 *   <li>{@code monitor}: four threads enter one shared monitor and hold it for about 50 us of CPU work, as the
 *       reference application's {@code lock-contention} fault does.
 * </ul>
 *
 * Prints {@code RESULT <mode> ops=<n> cpu_ms=<process CPU>} after {@code seconds}.
 */
public final class LockSourceWorkload {
    private static final Object MONITOR = new Object();
    private static volatile long sink;

    private LockSourceWorkload() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].matches("idle|handoff|monitor") || !args[1].matches("\\d{1,4}")) {
            System.err.println(
                    "usage: LockSourceWorkload idle|handoff|monitor <seconds>, got " + String.join(" ", args));
            System.exit(2);
        }
        final String mode = args[0];
        final long millis = Long.parseLong(args[1]) * 1000;
        final LongAdder ops = new LongAdder();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread[] threads;
        switch (mode) {
            case "handoff" -> {
                final SynchronousQueue<Object> ping = new SynchronousQueue<>();
                final SynchronousQueue<Object> pong = new SynchronousQueue<>();
                threads = new Thread[] {
                    new Thread(() -> relay(ping, pong, running, ops, true)),
                    new Thread(() -> relay(pong, ping, running, ops, false))
                };
            }
            case "monitor" -> {
                threads = new Thread[4];
                for (int i = 0; i < threads.length; i++) {
                    threads[i] = new Thread(() -> {
                        while (running.get()) {
                            synchronized (MONITOR) {
                                spin(50_000);
                            }
                            ops.increment();
                        }
                    });
                }
            }
            default -> threads = new Thread[0];
        }
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(millis);
        running.set(false);
        final long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        System.out.println("RESULT " + mode + " ops=" + ops.sum() + " cpu_ms=" + cpu / 1_000_000);
        System.exit(0);
    }

    private static void relay(
            SynchronousQueue<Object> in,
            SynchronousQueue<Object> out,
            AtomicBoolean running,
            LongAdder ops,
            boolean starts) {
        try {
            if (starts) {
                out.put(MONITOR);
            }
            while (running.get()) {
                final Object token = in.take();
                ops.increment();
                out.put(token);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void spin(long nanos) {
        final long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            x++;
        }
        sink = x;
    }
}
