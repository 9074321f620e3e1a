package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What {@link TrackedThreadPoolExecutor} and {@link TrackedScheduledThreadPoolExecutor} record, in one place. Every
 * method catches what recording throws and disables the probe instead; nothing here reaches the application.
 *
 * <p>Counters: {@link Slot#CALLS} submissions ({@code execute}, or a scheduling call), {@link Slot#IN} accepted,
 * {@link Slot#DROPPED} rejected (every rejection policy but caller-runs), {@link Slot#CALLER_RAN} rejected and run on
 * the submitting thread by a {@link ThreadPoolExecutor.CallerRunsPolicy} (or a subclass of it) while the pool was
 * running, {@link Slot#RERUNS} periodic tasks put back into a scheduled pool's queue after a run, {@link Slot#STARTED}
 * runs started, {@link Slot#OUT} runs finished, {@link Slot#ERRORS} runs that threw (directly, or into their {@link
 * Future}), {@link Slot#REMOVED} tasks taken out of the queue without running. At quiescence {@code CALLS + RERUNS ==
 * IN + DROPPED + CALLER_RAN} and {@code IN == OUT + REMOVED + queued}.
 *
 * <p><b>Telling accepted from rejected without a per-call allocation.</b> The pool calls its rejection handler
 * synchronously, on the submitting thread, inside {@code execute}/{@code schedule}. The pool's handler is a {@link
 * CountingRejection} wrapper that, after the application's handler returns or throws, leaves a mark in the submitting
 * thread's {@link PerThread} and bumps {@link #marks}. The submitting method reads the thread-local state only when
 * {@code marks} is non-zero, so the common path costs one plain read. Marks nest correctly (a caller-runs task that
 * submits again consumes its own mark before the outer one is set).
 *
 * <p><b>Run time</b> is measured for sampled runs: {@code beforeExecute} and {@code afterExecute} run on the same
 * worker thread, which keeps the start in its {@link PerThread}; {@link #timedRuns} lets {@code afterExecute} skip the
 * thread-local lookup when no sampled run is in progress. <b>Queue wait</b> of a plain pool is measured for sampled
 * submissions through {@link SampleSlots}; a scheduled pool records instead how late a run started against its
 * scheduled time, read from the task itself.
 *
 * <p><b>Periodic tasks</b> (scheduled pools): after each successful run the pool puts the task back into its queue;
 * {@code afterExecute} sees a periodic task that is not done and counts the put-back as a new entry ({@code RERUNS} and
 * {@code IN}). Two JDK paths take a put-back out again before {@code afterExecute} could see it: the pool's own
 * re-check when it shut down meanwhile (a worker removing the periodic task it is running, recognised through {@link
 * PerThread#periodicRun}), and a whole {@code shutdown()} landing in between (recognised through the shutdown watch).
 *
 * <p><b>Shutdown processing</b> of a scheduled pool takes periodic, delayed (by policy) and cancelled tasks out of the
 * queue and cancels them without any overridable call. A {@link ShutdownWatch} around those calls compares a snapshot
 * of the queue with what is left, excluding tasks that a worker picked up or a counted removal took meanwhile.
 */
final class PoolRecorder {
    /** The JDK pools' default policy; the JDK's own instance is private. */
    static final RejectedExecutionHandler DEFAULT_HANDLER = new ThreadPoolExecutor.AbortPolicy();

    private static final int REJECTED = 1;
    private static final int ROLLED_BACK = 2;
    private static final int CALLER_RAN = 3;

    private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(PerThread::new);

    private static final VarHandle MARKS;
    private static final VarHandle TIMED_RUNS;
    private static final VarHandle SHUTDOWN_WATCH;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            MARKS = lookup.findVarHandle(PoolRecorder.class, "marks", int.class);
            TIMED_RUNS = lookup.findVarHandle(PoolRecorder.class, "timedRuns", int.class);
            SHUTDOWN_WATCH = lookup.findVarHandle(PoolRecorder.class, "shutdownWatch", ShutdownWatch.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** State a thread keeps across one pool call; one instance per thread that ever needs it. */
    static final class PerThread {
        /** Start of the sampled run in progress on this worker, or 0. */
        long runStart;
        /**
         * Outcome left by the rejection handler for the submitting call in progress: 0, REJECTED, ROLLED_BACK or
         * CALLER_RAN.
         */
        int mark;
        /** Identity hash of the task this thread last removed from a shut-down pool, plus one; 0 for none. */
        int removedWhileShutdown;
        /** The periodic task this worker is running (scheduled pools), between beforeExecute and afterExecute. */
        Object periodicRun;
    }

    final Probe probe;
    private final boolean scheduled;
    private final SampleSlots waits;

    @SuppressWarnings("unused") // accessed through MARKS
    private volatile int marks;

    @SuppressWarnings("unused") // accessed through TIMED_RUNS
    private volatile int timedRuns;

    @SuppressWarnings("unused") // accessed through SHUTDOWN_WATCH
    private volatile ShutdownWatch shutdownWatch;

    /** The last closed watch, for runs that end after it closed; see {@link #afterExecute}. */
    private volatile ShutdownWatch lastWatch;

    PoolRecorder(int probeId, boolean scheduled) {
        this.probe = Probes.get(probeId);
        this.scheduled = scheduled;
        this.waits = scheduled ? null : new SampleSlots();
    }

    void track(Object pool) {
        Recording.track(probe, pool);
    }

    // ---------------------------------------------------------------- submission

    /** A submission begins: counts a call; returns the sample time (0 if not sampled). */
    long submitting(Runnable task) {
        try {
            final long t = probe.tick(Slot.CALLS);
            if (t != 0L) {
                io.hotpath.bootstrap.Flows.put(probe.id());
                if (waits != null) {
                    waits.put(task, t);
                }
            }
            return t;
        } catch (Throwable x) {
            probe.fail(x);
            return 0L;
        }
    }

    /**
     * The submission ended. Accepted unless the rejection handler ran; if the submission threw without it (the thread
     * factory failed, a custom queue threw), the task is counted as not accepted.
     */
    void submitted(Runnable task, long sample, boolean returnedNormally) {
        try {
            int mark = 0;
            if ((int) MARKS.getOpaque(this) != 0) {
                final PerThread s = PER_THREAD.get();
                mark = s.mark;
                if (mark != 0) {
                    s.mark = 0;
                    MARKS.getAndAdd(this, -1);
                }
            }
            if (mark == ROLLED_BACK || (mark == 0 && returnedNormally)) {
                // ROLLED_BACK: the pool queued the task, then saw it was shutting down and took it back out (counted
                // as REMOVED by remove()) before rejecting it: accepted, then removed.
                probe.increment(Slot.IN);
            } else {
                // CALLER_RAN: refused, and run by the submitting thread itself (even if that run threw): nothing
                // was lost, the pool pushed the work back onto its caller.
                probe.increment(mark == CALLER_RAN ? Slot.CALLER_RAN : Slot.DROPPED);
                if (sample != 0L && waits != null) {
                    waits.take(task);
                }
            }
        } catch (Throwable x) {
            probe.fail(x);
        }
    }

    /**
     * Called by {@link CountingRejection} once the application's handler returned or threw; {@code callerRan} when
     * that handler is a caller-runs policy that found the pool running, and so ran the task on this thread.
     */
    void rejected(Runnable task, boolean callerRan) {
        try {
            final PerThread s = PER_THREAD.get();
            final int removed = s.removedWhileShutdown;
            s.removedWhileShutdown = 0;
            final boolean rolledBack = removed != 0 && removed == System.identityHashCode(task) + 1;
            final int previous = s.mark;
            s.mark = rolledBack ? ROLLED_BACK : callerRan ? CALLER_RAN : REJECTED;
            if (previous == 0) {
                MARKS.getAndAdd(this, 1);
            }
        } catch (Throwable x) {
            probe.fail(x);
        }
    }

    /** Wraps the application's handler (null stays null, so the JDK rejects it as it would). */
    RejectedExecutionHandler wrap(RejectedExecutionHandler handler) {
        return handler == null ? null : new CountingRejection(handler, this);
    }

    /** The application's own handler behind a wrapper. */
    static RejectedExecutionHandler unwrap(RejectedExecutionHandler handler) {
        return handler instanceof CountingRejection ? ((CountingRejection) handler).delegate : handler;
    }

    /**
     * The pool's rejection handler: runs the application's handler, then marks the rejection for the submitting call.
     * {@link ThreadPoolExecutor.DiscardOldestPolicy} is run here with the same steps, so that the task it discards
     * from the queue is counted as removed. A {@link ThreadPoolExecutor.CallerRunsPolicy} (or a subclass) is told by
     * its class and by the pool's state read just before it runs, which is the test the JDK policy makes: it runs
     * the task unless the pool has shut down (then the task is discarded, and counted as dropped). A shutdown landing
     * between the two reads counts one discarded task as caller-run.
     */
    static final class CountingRejection implements RejectedExecutionHandler {
        final RejectedExecutionHandler delegate;
        private final PoolRecorder recorder;

        CountingRejection(RejectedExecutionHandler delegate, PoolRecorder recorder) {
            this.delegate = delegate;
            this.recorder = recorder;
        }

        @Override
        public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
            boolean callerRuns = false;
            try {
                callerRuns = delegate instanceof ThreadPoolExecutor.CallerRunsPolicy && !executor.isShutdown();
                if (delegate.getClass() == ThreadPoolExecutor.DiscardOldestPolicy.class) {
                    // The JDK policy, step for step (identical in JDK 17 and 25).
                    if (!executor.isShutdown()) {
                        final Runnable discarded = executor.getQueue().poll();
                        if (discarded != null) {
                            recorder.removed(discarded, false);
                        }
                        executor.execute(r);
                    }
                } else {
                    delegate.rejectedExecution(r, executor);
                }
            } finally {
                recorder.rejected(r, callerRuns);
            }
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    // ---------------------------------------------------------------- removal

    /**
     * One task left the queue without running ({@code remove(Runnable)}, a discard-oldest policy). Returns true, so
     * that a pool's {@code remove} is {@code super.remove(task) && recorder.removed(task, isShutdown())}.
     */
    boolean removed(Runnable task, boolean poolShutdown) {
        try {
            probe.increment(Slot.REMOVED);
            if (waits != null) {
                waits.take(task);
            }
            final ShutdownWatch w = (ShutdownWatch) SHUTDOWN_WATCH.getAcquire(this);
            if (w != null) {
                w.counted.add(task);
            }
            if (poolShutdown) {
                final PerThread s = PER_THREAD.get();
                // execute() takes a task back out when the pool shut down meanwhile, then rejects it: let rejected()
                // recognise that. An identity hash, so no reference to the task is kept.
                s.removedWhileShutdown = System.identityHashCode(task) + 1;
                if (scheduled && s.periodicRun == task) {
                    // A worker removing the periodic task it is running: the pool put it back, saw it had shut down
                    // meanwhile and took it out again. The put-back entry is counted here, as afterExecute will
                    // find the task cancelled.
                    countPutBack();
                }
            }
        } catch (Throwable x) {
            probe.fail(x);
        }
        return true;
    }

    /** The tasks {@code shutdownNow} drained out of the queue, which will not run; returns them. */
    List<Runnable> drained(List<Runnable> notRun) {
        try {
            final int n = notRun.size();
            if (n > 0) {
                probe.add(Slot.REMOVED, n);
            }
            if (waits != null) {
                waits.clear();
            }
        } catch (Throwable x) {
            probe.fail(x);
        }
        return notRun;
    }

    /**
     * Removes the cancelled futures from the queue the way {@code ThreadPoolExecutor.purge} does in its fallback (a
     * snapshot, then {@code remove} per entry, which reports success), and counts them. The caller then lets the pool
     * check for termination.
     */
    void purge(BlockingQueue<Runnable> q) {
        for (Object r : q.toArray()) {
            if (r instanceof Future<?> && ((Future<?>) r).isCancelled() && q.remove(r)) {
                removed((Runnable) r, false);
            }
        }
    }

    // ---------------------------------------------------------------- runs

    void beforeExecute(Runnable r) {
        try {
            final long start = probe.tick(Slot.STARTED);
            if (scheduled && r instanceof RunnableScheduledFuture<?> && ((RunnableScheduledFuture<?>) r).isPeriodic()) {
                PER_THREAD.get().periodicRun = r;
            }
            if (start != 0L) {
                io.hotpath.bootstrap.Flows.ran(probe.id());
                PER_THREAD.get().runStart = start;
                TIMED_RUNS.getAndAdd(this, 1);
                if (scheduled && r instanceof Delayed) {
                    // How late the run started against its scheduled time: the queue wait of a scheduled pool.
                    final long late = -((Delayed) r).getDelay(TimeUnit.NANOSECONDS);
                    probe.record(Dist.WAIT, Math.max(0L, late));
                }
            }
            if (waits != null) {
                final long queued = waits.take(r);
                if (queued != 0L) {
                    probe.record(Dist.WAIT, (start != 0L ? start : System.nanoTime()) - queued);
                }
            }
            final ShutdownWatch w = (ShutdownWatch) SHUTDOWN_WATCH.getAcquire(this);
            if (w != null) {
                w.counted.add(r);
            }
        } catch (Throwable x) {
            probe.fail(x);
        }
    }

    void afterExecute(Runnable r, Throwable thrown) {
        try {
            probe.increment(Slot.OUT);
            if (thrown != null || failed(r)) {
                probe.increment(Slot.ERRORS);
            }
            if ((int) TIMED_RUNS.getOpaque(this) != 0) {
                final PerThread s = PER_THREAD.get();
                final long start = s.runStart;
                if (start != 0L) {
                    s.runStart = 0L;
                    TIMED_RUNS.getAndAdd(this, -1);
                    probe.record(Dist.LATENCY, System.nanoTime() - start);
                }
            }
            if (scheduled && r instanceof RunnableScheduledFuture<?> && ((RunnableScheduledFuture<?>) r).isPeriodic()) {
                afterPeriodicRun((RunnableScheduledFuture<?>) r);
            }
        } catch (Throwable x) {
            probe.fail(x);
        }
    }

    /**
     * A periodic run ended. Not done: the run succeeded and the pool put the task back in the queue for its next
     * period, a new entry counted like a submission so that both identities keep holding. Done: it failed, was
     * cancelled, or the pool shut down; normally not put back, except when a shutdown took the put-back entry out
     * again before this point, which the shutdown watch tells.
     */
    private void afterPeriodicRun(RunnableScheduledFuture<?> r) {
        PER_THREAD.get().periodicRun = null;
        final ShutdownWatch w = (ShutdownWatch) SHUTDOWN_WATCH.getAcquire(this);
        if (!r.isDone()) {
            countPutBack();
            if (w != null) {
                w.counted.remove(r);
                w.requeued.add(r);
            }
        } else if (w != null) {
            w.endedDone.add(r);
        } else {
            final ShutdownWatch last = lastWatch;
            if (last != null && last.silentlyRemoved.remove(r)) {
                countPutBack();
            }
        }
    }

    /** A periodic task back in the queue: an entry ({@code IN}) but not a submission ({@code RERUNS}, not CALLS). */
    private void countPutBack() {
        probe.increment(Slot.RERUNS);
        probe.increment(Slot.IN);
    }

    /** Whether a task that returned normally failed into its future; cheap, since only done futures are asked. */
    private static boolean failed(Runnable r) {
        if (!(r instanceof Future<?>)) {
            return false;
        }
        final Future<?> f = (Future<?>) r;
        if (!f.isDone() || f.isCancelled()) {
            return false;
        }
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (CancellationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // get() consumed an interrupt that belongs to the worker
            return false;
        }
    }

    // ---------------------------------------------------------------- scheduled pool shutdown

    /**
     * Tasks a scheduled pool's shutdown processing must not count as removed: those a worker picked up, or that a
     * counted removal took, while the watch was open; and the periodic tasks requeued meanwhile, which are candidates
     * too.
     */
    static final class ShutdownWatch {
        final Set<Object> counted = ConcurrentHashMap.newKeySet();
        final Set<Object> requeued = ConcurrentHashMap.newKeySet();
        /** Periodic tasks whose run ended done while the watch was open. */
        final Set<Object> endedDone = ConcurrentHashMap.newKeySet();
        /** What the closed watch counted as removed, minus the put-backs already accounted for. */
        final Set<Object> silentlyRemoved = ConcurrentHashMap.newKeySet();
        /** The queue as it was once the watch was visible; read only by the thread that opened the watch. */
        Object[] before;
    }

    /**
     * Opens a watch around a call that may run the scheduled pool's shutdown processing, which takes tasks out of the
     * queue and cancels them without telling anyone (periodic tasks by default, delayed ones by policy, and those
     * already cancelled). Cold: allocates.
     */
    ShutdownWatch openShutdownWatch(BlockingQueue<Runnable> q) {
        try {
            final ShutdownWatch w = new ShutdownWatch();
            if (!SHUTDOWN_WATCH.compareAndSet(this, (ShutdownWatch) null, w)) {
                return null; // another thread's shutdown call is watching; it counts what both remove before it closes
            }
            // Snapshot after publishing: a worker that takes a task after the snapshot (queue lock order) sees the
            // watch and records the task as picked up.
            w.before = q.toArray();
            return w;
        } catch (Throwable x) {
            probe.fail(x);
            return null;
        }
    }

    /**
     * Closes the watch: every candidate that is now cancelled and no longer queued, and that no worker picked up and
     * no counted removal took, was removed by the shutdown processing.
     */
    void closeShutdownWatch(ShutdownWatch w, BlockingQueue<Runnable> q) {
        if (w == null) {
            return;
        }
        try {
            SHUTDOWN_WATCH.setRelease(this, (ShutdownWatch) null);
            int n = countSilentlyRemoved(w, java.util.Arrays.asList(w.before), q);
            n += countSilentlyRemoved(w, w.requeued, q);
            if (n > 0) {
                probe.add(Slot.REMOVED, n);
            }
            // A periodic task removed here whose run ended, done, while the watch was open had been put back by that
            // run before the shutdown took it out: count the put-back. One whose run is still to end is left for
            // afterExecute to find in lastWatch.
            for (Object o : w.silentlyRemoved.toArray()) {
                if (w.endedDone.contains(o)) {
                    w.silentlyRemoved.remove(o);
                    countPutBack();
                }
            }
            w.before = null;
            lastWatch = w;
        } catch (Throwable x) {
            probe.fail(x);
        }
    }

    private static int countSilentlyRemoved(ShutdownWatch w, Collection<?> candidates, BlockingQueue<Runnable> q) {
        int n = 0;
        for (Object o : candidates) {
            if (o instanceof Future<?> && ((Future<?>) o).isCancelled() && !w.counted.contains(o) && !q.contains(o)) {
                w.counted.add(o); // a task both in the snapshot and requeued counts once
                if (o instanceof RunnableScheduledFuture<?> && ((RunnableScheduledFuture<?>) o).isPeriodic()) {
                    w.silentlyRemoved.add(o);
                }
                n++;
            }
        }
        return n;
    }
}
