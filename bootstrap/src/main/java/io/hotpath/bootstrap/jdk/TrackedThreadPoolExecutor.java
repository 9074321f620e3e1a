package io.hotpath.bootstrap.jdk;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ThreadPoolExecutor} that counts the tasks it is given, rejects, runs and drops. See {@link PoolRecorder} for
 * the counters and how they are kept exact without allocating per task.
 *
 * <p>Where the counts come from (JDK 17 and 25 agree):
 *
 * <ul>
 *   <li>{@code execute} is the one entry point: {@code submit}, {@code invokeAll} and {@code invokeAny}
 *       (AbstractExecutorService) wrap the task and call it. It counts {@link io.hotpath.bootstrap.Slot#CALLS}, then
 *       {@code IN} or, when the rejection handler ran, {@code CALLER_RAN} for a {@link
 *       ThreadPoolExecutor.CallerRunsPolicy} that ran the task on the submitting thread and {@code DROPPED} for
 *       every other outcome. The handler the pool holds is a wrapper
 *       around the application's, so every policy is counted; {@code getRejectedExecutionHandler} returns the
 *       application's own.
 *   <li>{@code beforeExecute}/{@code afterExecute} count {@code STARTED}/{@code OUT}, time sampled runs, and count
 *       {@code ERRORS} for a thrown exception or, for a {@link java.util.concurrent.Future} task, a failed future.
 *       Tasks run by {@link ThreadPoolExecutor.CallerRunsPolicy} are counted as {@code CALLER_RAN}, not as runs
 *       of the pool.
 *   <li>{@code remove(Runnable)}, {@code purge}, {@code shutdownNow} and {@link ThreadPoolExecutor.DiscardOldestPolicy}
 *       count {@code REMOVED}. {@code execute} itself calls {@code remove} when the pool shut down between queueing
 *       and its re-check, then rejects: that task is counted as accepted and removed (not as dropped), so the
 *       identities hold.
 *   <li>{@code purge} is done here with the JDK's own fallback algorithm (snapshot, then {@code remove} per cancelled
 *       future, which reports success) so the removals are counted exactly; once the pool has shut down it then lets
 *       the pool re-check termination, as the JDK's {@code purge} does (while the pool runs that check does nothing,
 *       and reaching it costs a scan of the queue, so it is skipped).
 * </ul>
 *
 * <p>Not seen: tasks the application takes out of {@link #getQueue()} itself.
 */
public class TrackedThreadPoolExecutor extends ThreadPoolExecutor {
    static {
        Recording.initialize(); // the recording classes initialized with this one, not on a call path
    }

    /** Never queued: removing it is a no-op whose only effect is the pool's termination check. */
    private static final Runnable NEVER_QUEUED = () -> {};

    private final PoolRecorder recorder;

    @SuppressWarnings("this-escape")
    public TrackedThreadPoolExecutor(
            int corePoolSize,
            int maximumPoolSize,
            long keepAliveTime,
            TimeUnit unit,
            BlockingQueue<Runnable> workQueue,
            int probeId) {
        this(
                corePoolSize,
                maximumPoolSize,
                keepAliveTime,
                unit,
                workQueue,
                Executors.defaultThreadFactory(),
                PoolRecorder.DEFAULT_HANDLER,
                new PoolRecorder(probeId, false));
    }

    @SuppressWarnings("this-escape")
    public TrackedThreadPoolExecutor(
            int corePoolSize,
            int maximumPoolSize,
            long keepAliveTime,
            TimeUnit unit,
            BlockingQueue<Runnable> workQueue,
            ThreadFactory threadFactory,
            int probeId) {
        this(
                corePoolSize,
                maximumPoolSize,
                keepAliveTime,
                unit,
                workQueue,
                threadFactory,
                PoolRecorder.DEFAULT_HANDLER,
                new PoolRecorder(probeId, false));
    }

    @SuppressWarnings("this-escape")
    public TrackedThreadPoolExecutor(
            int corePoolSize,
            int maximumPoolSize,
            long keepAliveTime,
            TimeUnit unit,
            BlockingQueue<Runnable> workQueue,
            RejectedExecutionHandler handler,
            int probeId) {
        this(
                corePoolSize,
                maximumPoolSize,
                keepAliveTime,
                unit,
                workQueue,
                Executors.defaultThreadFactory(),
                handler,
                new PoolRecorder(probeId, false));
    }

    @SuppressWarnings("this-escape")
    public TrackedThreadPoolExecutor(
            int corePoolSize,
            int maximumPoolSize,
            long keepAliveTime,
            TimeUnit unit,
            BlockingQueue<Runnable> workQueue,
            ThreadFactory threadFactory,
            RejectedExecutionHandler handler,
            int probeId) {
        this(
                corePoolSize,
                maximumPoolSize,
                keepAliveTime,
                unit,
                workQueue,
                threadFactory,
                handler,
                new PoolRecorder(probeId, false));
    }

    @SuppressWarnings("this-escape")
    private TrackedThreadPoolExecutor(
            int corePoolSize,
            int maximumPoolSize,
            long keepAliveTime,
            TimeUnit unit,
            BlockingQueue<Runnable> workQueue,
            ThreadFactory threadFactory,
            RejectedExecutionHandler handler,
            PoolRecorder recorder) {
        super(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, threadFactory, recorder.wrap(handler));
        this.recorder = recorder;
        recorder.track(this);
    }

    @Override
    public void execute(Runnable command) {
        if (command == null) {
            super.execute(null); // the JDK's own NullPointerException; nothing is counted
            return;
        }
        final long sample = recorder.submitting(command);
        boolean returned = false;
        try {
            super.execute(command);
            returned = true;
        } finally {
            recorder.submitted(command, sample, returned);
        }
    }

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
