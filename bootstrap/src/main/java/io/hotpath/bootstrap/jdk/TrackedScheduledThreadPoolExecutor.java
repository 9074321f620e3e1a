package io.hotpath.bootstrap.jdk;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledThreadPoolExecutor} that counts the tasks it is given, rejects, runs and drops. See {@link
 * PoolRecorder} for the counters.
 *
 * <p>Where the counts come from (JDK 17 and 25 agree): the pool never goes through {@code ThreadPoolExecutor.execute};
 * {@code execute}, the three {@code submit}s and {@code invokeAll}/{@code invokeAny} call {@code schedule}, so the four
 * scheduling methods ({@code schedule} x2, {@code scheduleAtFixedRate}, {@code scheduleWithFixedDelay}) are the entry
 * points that count {@code CALLS} and {@code IN}/{@code DROPPED}. Runs are counted in {@code beforeExecute}/{@code
 * afterExecute} as in {@link TrackedThreadPoolExecutor}.
 *
 * <p><b>Periodic tasks and what depth means.</b> A periodic task is one queue entry at a time: after each successful
 * run the pool puts the same task back into its queue. Every run counts {@code STARTED} and {@code OUT}; every
 * put-back is counted as a new entry ({@code RERUNS} and {@code IN}, seen in {@code afterExecute} as a periodic task
 * that is not done), not as a call. So {@code IN - OUT - REMOVED} is the number of entries queued or running, a
 * waiting periodic task counting one, {@code CALLS} are the scheduling calls alone, and {@code CALLS + RERUNS == IN +
 * DROPPED + CALLER_RAN} holds. {@code
 * WAIT} records how late each sampled run started against its scheduled time (a scheduled task is meant to wait for
 * its delay), and {@code LATENCY} the run time.
 *
 * <p><b>Removals.</b> {@code remove(Runnable)} (also reached by {@code cancel} under the remove-on-cancel policy and by
 * the pool's own shutdown re-checks), {@code purge} and {@code shutdownNow} count {@code REMOVED}. The JDK's shutdown
 * processing ({@code shutdown()}, and the two "after shutdown" policy setters when the pool is shut down) takes
 * periodic, delayed or already cancelled tasks out of the queue directly and cancels them; around those calls a
 * snapshot of the queue is compared with what is left, excluding tasks a worker picked up meanwhile, to count them.
 *
 * <p>Races not resolved exactly, each needing two threads within the same fraction of a microsecond: a periodic task
 * cancelled by the application, or re-run and failing on another worker, between its put-back and the end of the run
 * that put it back (the put-back is then not counted); a task taken by a worker during {@code shutdown()} whose {@code
 * beforeExecute} has not started yet when the snapshot is compared; two threads calling {@code shutdown()} at once.
 */
public class TrackedScheduledThreadPoolExecutor extends ScheduledThreadPoolExecutor {
    static {
        Recording.initialize(); // the recording classes initialized with this one, not on a call path
    }

    /** Never queued: removing it is a no-op whose only effect is the pool's termination check. */
    private static final Runnable NEVER_QUEUED = () -> {};

    private final PoolRecorder recorder;

    @SuppressWarnings("this-escape")
    public TrackedScheduledThreadPoolExecutor(int corePoolSize, int probeId) {
        this(
                corePoolSize,
                Executors.defaultThreadFactory(),
                PoolRecorder.DEFAULT_HANDLER,
                new PoolRecorder(probeId, true));
    }

    @SuppressWarnings("this-escape")
    public TrackedScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory, int probeId) {
        this(corePoolSize, threadFactory, PoolRecorder.DEFAULT_HANDLER, new PoolRecorder(probeId, true));
    }

    @SuppressWarnings("this-escape")
    public TrackedScheduledThreadPoolExecutor(int corePoolSize, RejectedExecutionHandler handler, int probeId) {
        this(corePoolSize, Executors.defaultThreadFactory(), handler, new PoolRecorder(probeId, true));
    }

    @SuppressWarnings("this-escape")
    public TrackedScheduledThreadPoolExecutor(
            int corePoolSize, ThreadFactory threadFactory, RejectedExecutionHandler handler, int probeId) {
        this(corePoolSize, threadFactory, handler, new PoolRecorder(probeId, true));
    }

    @SuppressWarnings("this-escape")
    private TrackedScheduledThreadPoolExecutor(
            int corePoolSize, ThreadFactory threadFactory, RejectedExecutionHandler handler, PoolRecorder recorder) {
        super(corePoolSize, threadFactory, recorder.wrap(handler));
        this.recorder = recorder;
        recorder.track(this);
    }

    // ---------------------------------------------------------------- scheduling

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (command == null || unit == null) {
            return super.schedule(command, delay, unit); // the JDK's own NullPointerException; nothing counted
        }
        final long sample = recorder.submitting(command);
        ScheduledFuture<?> f = null;
        try {
            return f = super.schedule(command, delay, unit);
        } finally {
            recorder.submitted(command, sample, f != null); // the JDK returns a future or throws
        }
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (callable == null || unit == null) {
            return super.schedule(callable, delay, unit);
        }
        final long sample = recorder.submitting(null);
        ScheduledFuture<V> f = null;
        try {
            return f = super.schedule(callable, delay, unit);
        } finally {
            recorder.submitted(null, sample, f != null); // the JDK returns a future or throws
        }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (command == null || unit == null || period <= 0L) {
            return super.scheduleAtFixedRate(command, initialDelay, period, unit); // the JDK's own exception
        }
        final long sample = recorder.submitting(command);
        ScheduledFuture<?> f = null;
        try {
            return f = super.scheduleAtFixedRate(command, initialDelay, period, unit);
        } finally {
            recorder.submitted(command, sample, f != null); // the JDK returns a future or throws
        }
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (command == null || unit == null || delay <= 0L) {
            return super.scheduleWithFixedDelay(command, initialDelay, delay, unit); // the JDK's own exception
        }
        final long sample = recorder.submitting(command);
        ScheduledFuture<?> f = null;
        try {
            return f = super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        } finally {
            recorder.submitted(command, sample, f != null); // the JDK returns a future or throws
        }
    }

    // ---------------------------------------------------------------- runs

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
        recorder.beforeExecute(r);
        super.beforeExecute(t, r);
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
        super.afterExecute(r, t);
        recorder.afterExecute(r, t);
    }

    // ---------------------------------------------------------------- removals

    @Override
    public boolean remove(Runnable task) {
        return super.remove(task) && recorder.removed(task, isShutdown());
    }

    @Override
    public void purge() {
        recorder.purge(getQueue());
        // The JDK's purge ends with its termination check, which does nothing while the pool runs. remove() is the
        // public way to reach it and scans the queue under its lock for a task that is never there, so it is only
        // paid once the pool has shut down; a shutdown racing this line runs the same check itself.
        if (isShutdown()) {
            super.remove(NEVER_QUEUED);
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        return recorder.drained(super.shutdownNow());
    }

    @Override
    public void shutdown() {
        watchingShutdown(super::shutdown);
    }

    @Override
    public void setContinueExistingPeriodicTasksAfterShutdownPolicy(boolean value) {
        if (value || !isShutdown()) {
            super.setContinueExistingPeriodicTasksAfterShutdownPolicy(value); // no shutdown processing
            return;
        }
        watchingShutdown(() -> super.setContinueExistingPeriodicTasksAfterShutdownPolicy(value));
    }

    @Override
    public void setExecuteExistingDelayedTasksAfterShutdownPolicy(boolean value) {
        if (value || !isShutdown()) {
            super.setExecuteExistingDelayedTasksAfterShutdownPolicy(value); // no shutdown processing
            return;
        }
        watchingShutdown(() -> super.setExecuteExistingDelayedTasksAfterShutdownPolicy(value));
    }

    /**
     * Runs the JDK's shutdown processing ({@code shutdown}, or a policy change after it) under the recorder's
     * shutdown watch, which counts the tasks that processing drops from the queue. Not a hot path.
     */
    private void watchingShutdown(Runnable jdkCall) {
        final PoolRecorder.ShutdownWatch watch = recorder.openShutdownWatch(getQueue());
        try {
            jdkCall.run();
        } finally {
            recorder.closeShutdownWatch(watch, getQueue());
        }
    }

    /** Installs the handler behind the counting wrapper. */
    @Override
    public void setRejectedExecutionHandler(RejectedExecutionHandler handler) {
        super.setRejectedExecutionHandler(recorder.wrap(handler));
    }

    /** The application's handler, not the counting wrapper around it. */
    @Override
    public RejectedExecutionHandler getRejectedExecutionHandler() {
        return PoolRecorder.unwrap(super.getRejectedExecutionHandler());
    }

    /** Tells tests and tools which probe this pool records into. */
    public int hotpathProbeId() {
        return recorder.probe.id();
    }
}
