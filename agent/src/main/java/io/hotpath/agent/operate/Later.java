package io.hotpath.agent.operate;

import io.hotpath.bootstrap.ipc.AgentThreads;
import java.util.concurrent.locks.LockSupport;

/**
 * One piece of the agent's start-up run on its own daemon thread some time after start (work that loads JMX or
 * {@code java.util.logging} has no place in premain), and called off by the agent's stop: after {@link #cancel}
 * returns, the task has either run to its end or will never run, and its thread has ended (or a second passed).
 */
public final class Later {
    private final Runnable task;
    private final Thread thread;
    private volatile boolean cancelled;

    private Later(String threadName, long delayNanos, Runnable task) {
        this.task = task;
        this.thread = AgentThreads.newThread(() -> await(delayNanos), threadName);
    }

    /** Runs {@code task} on a new agent thread named {@code threadName}, {@code delayNanos} from now. */
    public static Later start(String threadName, long delayNanos, Runnable task) {
        final Later later = new Later(threadName, delayNanos, task);
        later.thread.start();
        return later;
    }

    private void await(long delayNanos) {
        final long until = System.nanoTime() + delayNanos;
        for (long left = delayNanos; !cancelled && left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        // Run under the lock cancel takes: a stop that comes while the task runs waits for its end, then undoes it.
        synchronized (this) {
            if (!cancelled) {
                task.run();
            }
        }
    }

    /** Calls the task off if it has not begun, waits for it if it runs, and for the thread's end, bounded. */
    public void cancel() {
        synchronized (this) {
            cancelled = true;
        }
        LockSupport.unpark(thread);
        try {
            thread.join(1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
