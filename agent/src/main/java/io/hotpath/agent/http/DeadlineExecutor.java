package io.hotpath.agent.http;

import io.hotpath.bootstrap.ipc.AgentThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The endpoint's one worker thread, with a deadline per exchange. The JDK server reads a request (line, headers,
 * body) and writes the response on the executor's thread with blocking channel I/O and, unless JVM-wide system
 * properties say otherwise, no time limit, so one slow client could hold the endpoint for ever. Those properties would
 * also change the application's own {@code HttpServer}s, so instead a watchdog interrupts the worker when one exchange
 * has run longer than the deadline: the socket channel is interruptible, the blocked read or write fails, and the JDK
 * server closes that connection. Exchanges beyond {@value #QUEUE} waiting are refused, which makes the JDK server
 * close their connections at once: memory stays bounded whatever the clients do.
 *
 * <p>Both threads are daemons in the agent's thread group, so their CPU counts as the agent's own.
 */
final class DeadlineExecutor implements Executor {
    static final int QUEUE = 64;

    private final long deadlineNanos;
    private final ThreadPoolExecutor pool;
    private final Thread watchdog;
    private volatile boolean stopped;

    /** The running exchange and when it started; guarded by this, so an interrupt never lands on the next one. */
    private Runnable running;

    private long runningSince;
    private long interrupted;

    DeadlineExecutor(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        this.pool = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                r -> AgentThreads.newThread(r, "hotpath-http"),
                new ThreadPoolExecutor.AbortPolicy());
        this.watchdog = AgentThreads.newThread(this::watch, "hotpath-http-watchdog");
        watchdog.start();
    }

    @Override
    public void execute(Runnable exchange) {
        pool.execute(() -> runTimed(exchange));
    }

    private void runTimed(Runnable exchange) {
        synchronized (this) {
            running = exchange;
            worker = Thread.currentThread();
            runningSince = System.nanoTime();
        }
        LockSupport.unpark(watchdog);
        try {
            exchange.run();
        } finally {
            synchronized (this) {
                running = null;
            }
            Thread.interrupted(); // an interrupt that raced the end of the exchange is not the next one's
        }
    }

    private void watch() {
        while (!stopped) {
            final long wait;
            synchronized (this) {
                if (running == null) {
                    wait = Long.MAX_VALUE;
                } else {
                    final long left = runningSince + deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        interrupted++;
                        workerInterrupt();
                        running = null; // one interrupt per exchange
                        wait = Long.MAX_VALUE;
                    } else {
                        wait = left;
                    }
                }
            }
            if (wait == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** Interrupts the worker; called holding the lock while {@link #running} is the exchange over its deadline. */
    private void workerInterrupt() {
        worker.interrupt();
    }

    /** The worker thread; guarded by this. */
    private Thread worker;

    /** Exchanges cut off at the deadline so far. */
    synchronized long interrupted() {
        return interrupted;
    }

    void shutdown() {
        stopped = true;
        LockSupport.unpark(watchdog);
        pool.shutdownNow();
    }
}
