package io.hotpath.agent.runtime;

import io.hotpath.agent.alert.Alerter;
import io.hotpath.agent.analyze.Analyzer;
import io.hotpath.agent.instrument.advice.AdviceRequests;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.OptimizerRuntime;
import io.hotpath.agent.report.JsonDump;
import io.hotpath.agent.report.Report;
import io.hotpath.agent.report.TerminalSummary;
import io.hotpath.agent.telemetry.AgentEvents;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's one background thread: every tick it snapshots all probes, adapts timing sample rates, reports probes
 * that stopped after a fault, and when due prints the summary and rewrites the dump. It only reads the hot side
 * through snapshots and never holds anything an application thread waits for. It also prints the log lines
 * application threads hand over ({@link AgentLog}), unparked by each one.
 *
 * <p>A JVM whose probes do not move (a service waiting for work) would still pay for ten snapshots, analyses and
 * JVM readings a second, and keep the JIT compiling the code that does them. So the tick stretches while nothing
 * moves: after each snapshot that reads exactly as the one before (the taker hands back the same sample object for
 * a probe whose figures did not change, so this is one reference comparison per probe), the wait doubles, up to
 * {@code hotpath.tick.idle}; the first snapshot that differs brings the configured tick back. Movement is then seen
 * at most one idle tick late, and everything downstream (rates, the analyzer's windows and confirmation, the
 * optimizer's windows) works from the snapshots' own timestamps, not from a tick count.
 */
final class ColdLoop implements Runnable {
    private final long tickNanos;
    /** The longest wait between ticks while no probe moves; at least {@link #tickNanos}. */
    private final long idleTickNanos;
    /** The wait before the next tick: {@link #tickNanos}, doubled after each still snapshot up to the idle tick. */
    private volatile long waitNanos;
    /** The previous tick's samples, to tell whether anything moved. */
    private java.util.List<io.hotpath.bootstrap.snapshot.ProbeSample> lastProbes = java.util.List.of();

    private final SamplingController sampling;
    private final SnapshotTaker taker = new SnapshotTaker();
    private final Optional<Path> dumpFile;
    // Changeable at run time (operator settings): written by an operator's thread, read by the loop each tick.
    private volatile long dumpEveryNanos;
    private volatile long summaryEveryNanos;
    private volatile int summaryTop;
    private final Map<String, String> meta;
    private final long startNanos;
    /** Created on the loop's own thread, whose thread group is the agent's. */
    private SelfCost selfCost;

    private volatile boolean stopped;
    /** Work asked of this thread by the attach CLI's commands, run between ticks (see {@link #onLoop}). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> requests =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private volatile Thread thread;
    private Snapshot lastSummary;
    private Snapshot lastDump;
    private long nextSummary;
    private long nextDump;
    private int faultsReported;

    /** {@link io.hotpath.bootstrap.Probe#disabledCount()} at the last walk for faults: no walk while it is unchanged. */
    private int disabledSeen;

    private boolean unmatchedReported;

    /** Set before the thread starts; null when hotpath.analyzer.enabled / hotpath.alerts.enabled are false. */
    private Analyzer analyzer;

    private Alerter alerter;

    /** Set before the thread starts; null when hotpath.overhead.budget=off. */
    private OverheadBudget budget;

    /** Set before the thread starts; null when hotpath.optimizer.mode=off (then the optimizer costs nothing). */
    private OptimizerFeed optimizerFeed;

    /** Set before the thread starts; the operator surfaces read what each tick publishes there. */
    private io.hotpath.agent.operate.LiveState live;

    /** Declared probes that matched nothing are reported this long after start (and at exit). */
    private static final long UNMATCHED_AFTER_NANOS = 10_000_000_000L;

    ColdLoop(
            Duration tick,
            Duration idleTick,
            int samplingRate,
            Optional<Path> dumpFile,
            Optional<Duration> dumpEvery,
            Optional<Duration> summaryEvery,
            int summaryTop,
            Map<String, String> meta,
            long startNanos) {
        this.tickNanos = tick.toNanos();
        long idle = Math.max(tickNanos, idleTick.toNanos());
        // A dump or summary due more often than the idle tick still comes on time.
        for (Optional<Duration> every : java.util.List.of(dumpEvery, summaryEvery)) {
            if (every.isPresent()) {
                idle = Math.max(tickNanos, Math.min(idle, every.get().toNanos()));
            }
        }
        this.idleTickNanos = idle;
        this.waitNanos = tickNanos;
        this.sampling = new SamplingController(samplingRate);
        this.dumpFile = dumpFile;
        this.dumpEveryNanos = dumpEvery.map(Duration::toNanos).orElse(0L);
        this.summaryEveryNanos = summaryEvery.map(Duration::toNanos).orElse(0L);
        this.summaryTop = summaryTop;
        this.meta = Map.copyOf(meta);
        this.startNanos = startNanos;
        this.nextSummary = startNanos + summaryEveryNanos;
        this.nextDump = startNanos + dumpEveryNanos;
    }

    @Override
    public void run() {
        selfCost = new SelfCost(Thread.currentThread().getThreadGroup(), startNanos);
        JsonDump.selfCost(() -> {
            final SelfCost.View v = SelfCost.latest();
            return v == null ? null : v.asMap();
        });
        thread = Thread.currentThread();
        AgentLog.writerStarts();
        AdviceRequests.servedBy(thread);
        try {
            loop();
        } finally {
            AdviceRequests.servedBy(null);
            AgentLog.writerEnds();
        }
    }

    /** Ticks until stopped; each time it is unparked it runs the requests and prints the lines logged meanwhile. */
    private void loop() {
        long next = System.nanoTime() + tickNanos;
        while (!stopped) {
            runRequests();
            AgentLog.drain();
            // Application threads store their request for the deferred advice and unpark this thread: it is taken up
            // here.
            AdviceRequests.serve();
            final long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, AdviceRequests.parkNanos(wait));
                continue;
            }
            try {
                waitNanos = tick() ? tickNanos : Math.min(idleTickNanos, waitNanos * 2);
            } catch (Throwable t) {
                waitNanos = tickNanos;
                reportFailedTick(t);
            }
            next += waitNanos;
            if (next - System.nanoTime() < 0) {
                next = System.nanoTime() + waitNanos; // fell behind (GC, suspended VM): skip, do not catch up
            }
        }
    }

    /**
     * Logs a failed tick once per kind of failure. When the application has exhausted the heap, the tick fails with
     * an OutOfMemoryError and so can building this message: that second error must not end the thread (it would
     * escape into the uncaught-exception handler, which fails the same way, and recording would stop for good), so
     * it is dropped and the next tick tries again.
     */
    private static void reportFailedTick(Throwable t) {
        try {
            AgentLog.once(
                    AgentLog.Level.ERROR,
                    "coldloop:" + t.getClass().getName(),
                    "background work failed and will be retried next tick: " + t);
        } catch (Throwable reportFailed) {
            // Out of memory even for the message: nothing to do but go on.
        }
    }

    /** Adds the analyzer (and its alerter), fed every tick's snapshot; call before the thread starts. */
    void analyze(Analyzer analyzer, Alerter alerter) {
        this.analyzer = analyzer;
        this.alerter = analyzer == null ? null : alerter;
    }

    /** Adds the optimizer's feed, run every tick after the analyzer; call before the thread starts. */
    void optimize(OptimizerFeed feed) {
        this.optimizerFeed = feed;
    }

    /** Publishes every tick's snapshot and views to {@code live}; call before the thread starts. */
    void publishTo(io.hotpath.agent.operate.LiveState live) {
        this.live = live;
    }

    /** Holds the agent to an overhead budget, checked on each self-cost reading; call before the thread starts. */
    void budget(io.hotpath.agent.config.OverheadLimits limits) {
        this.budget = new OverheadBudget(limits, sampling, startNanos);
    }

    /** The longest wait between ticks, for tests. */
    long idleTickNanos() {
        return idleTickNanos;
    }

    /** The wait before the next tick, for tests. */
    long waitNanos() {
        return waitNanos;
    }

    void stop() {
        stopped = true;
        final Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Closes the alert channels (the webhook's sender and HTTP client threads); for the CLI's stop, after the loop's
     * thread ended, so no alert is sent after it. Waits at most {@code timeout} per channel.
     */
    void closeAlerts(Duration timeout) {
        final Alerter a = alerter;
        if (a != null) {
            a.close(timeout);
        }
    }

    /**
     * Changes the summary's interval (empty: no periodic summary) at run time; the next one is due one interval from
     * now.
     */
    void summaryEvery(Optional<Duration> every) {
        final long n = every.map(Duration::toNanos).orElse(0L);
        nextSummary = System.nanoTime() + n;
        summaryEveryNanos = n;
    }

    /** Changes the dump file's interval (empty: at exit only) at run time; the next is due one interval from now. */
    void dumpEvery(Optional<Duration> every) {
        final long n = every.map(Duration::toNanos).orElse(0L);
        nextDump = System.nanoTime() + n;
        dumpEveryNanos = n;
    }

    /** Changes how many probes the summary lists, at run time. */
    void summaryTop(int top) {
        summaryTop = top;
    }

    /** The loop's thread, once it runs; for the CLI's stop, which waits for it to end. */
    Thread thread() {
        return thread;
    }

    /**
     * Runs {@code work} on this loop's thread with a full snapshot, between two ticks, and returns its result: the
     * snapshot taker and the analyzer are this thread's alone. Waits at most {@code timeout}.
     */
    <T> T onLoop(java.util.function.Function<Snapshot, T> work, Duration timeout) throws Exception {
        final java.util.concurrent.FutureTask<T> task =
                new java.util.concurrent.FutureTask<>(() -> work.apply(taker.takeFull()));
        requests.add(task);
        final Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return task.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void runRequests() {
        Runnable r;
        while ((r = requests.poll()) != null) {
            r.run();
        }
    }

    /** The summary the terminal shows, over the whole run so far ({@code status}). */
    String status(Snapshot s) {
        final Report r = Report.of(s, null, startNanos);
        final SelfCost.View self = SelfCost.latest();
        return TerminalSummary.format(r, summaryTop, analyzer == null ? null : analyzer.view(), estimates())
                + (self == null ? "" : self.line());
    }

    /** The active findings, as the summary lists them ({@code findings}). */
    String findings(Snapshot s) {
        if (analyzer == null) {
            return "the analyzer is off (hotpath.analyzer.enabled=false): no findings\n";
        }
        final Report r = Report.of(s, null, startNanos);
        final String probes = TerminalSummary.format(r, summaryTop);
        return TerminalSummary.format(r, Integer.MAX_VALUE, analyzer.view(), estimates())
                .substring(probes.length());
    }

    /** Writes the JSON dump of the whole run so far to {@code file} ({@code dump FILE}). */
    void dumpTo(Snapshot s, Path file) throws java.io.IOException {
        JsonDump.write(
                Report.of(s, null, startNanos),
                meta,
                file,
                analyzer == null ? null : analyzer.view(),
                alerter == null ? null : alerter.view());
    }

    /** One tick; true when a probe moved since the previous one (or appeared). */
    private boolean tick() {
        // A summary or dump reports intervals that must hold every value recorded so far: its tick reads every
        // distribution (the others read what the analyzer needs each tick, and the rest about once a second).
        final long now = System.nanoTime();
        final boolean reportDue = (summaryEveryNanos > 0 && now - nextSummary >= 0)
                || (dumpFile.isPresent() && dumpEveryNanos > 0 && now - nextDump >= 0);
        final Snapshot s = reportDue ? taker.takeFull() : taker.take();
        final boolean moved = moved(s.probes());
        selfCost.update(s, false);
        if (budget != null) {
            budget.update(s, SelfCost.latest());
        }
        sampling.update(s);
        runAnalyzer(s);
        runOptimizer(s);
        if (live != null) {
            live.publish(s, analyzer == null ? null : analyzer.view(), alerter == null ? null : alerter.view());
        }
        reportFaults();
        if (!unmatchedReported && s.nanoTime() - startNanos > UNMATCHED_AFTER_NANOS) {
            unmatchedReported = true;
            AgentStarter.ADVICE_MODULES.forEach(m -> m.reportUnmatched());
        }
        if (summaryEveryNanos > 0 && s.nanoTime() - nextSummary >= 0) {
            nextSummary = s.nanoTime() + summaryEveryNanos;
            printSummary(s);
        }
        if (dumpFile.isPresent() && dumpEveryNanos > 0 && s.nanoTime() - nextDump >= 0) {
            nextDump = s.nanoTime() + dumpEveryNanos;
            writeDump(s);
        }
        return moved;
    }

    /**
     * Whether {@code probes} differ from the previous tick's: the taker returns a probe's previous sample object when
     * its counters, distributions and gauges all read the same, so equal lists hold the same objects.
     */
    private boolean moved(java.util.List<io.hotpath.bootstrap.snapshot.ProbeSample> probes) {
        final java.util.List<io.hotpath.bootstrap.snapshot.ProbeSample> before = lastProbes;
        lastProbes = probes;
        final int n = probes.size();
        if (n != before.size()) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            if (probes.get(i) != before.get(i)) {
                return true;
            }
        }
        return false;
    }

    private void runAnalyzer(Snapshot s) {
        if (analyzer == null) {
            return;
        }
        try {
            analyzer.onSnapshot(s);
            if (alerter != null) {
                alerter.onAnalysis(analyzer.view());
            }
        } catch (RuntimeException e) {
            AgentLog.once(
                    AgentLog.Level.ERROR,
                    "analyzer:" + e.getClass().getName(),
                    "the analyzer failed and will be retried next tick: " + e);
        }
    }

    private void runOptimizer(Snapshot s) {
        if (optimizerFeed == null) {
            return;
        }
        try {
            optimizerFeed.onTick(s, analyzer == null ? null : analyzer.view());
        } catch (RuntimeException e) {
            AgentLog.once(
                    AgentLog.Level.ERROR,
                    "optimizer:" + e.getClass().getName(),
                    "the optimizer failed and will be retried next window: " + e);
        }
    }

    /** The optimizer's estimates of its claimed steps, for the summary; none while the optimizer is off. */
    private List<Optimizer.Estimate> estimates() {
        final Optimizer o = OptimizerRuntime.optimizer();
        return o == null ? List.of() : o.estimates();
    }

    private void printSummary(Snapshot s) {
        final Report r = Report.of(s, lastSummary, startNanos);
        lastSummary = s;
        final SelfCost.View self = SelfCost.latest();
        System.err.print(TerminalSummary.format(r, summaryTop, analyzer == null ? null : analyzer.view(), estimates())
                + (self == null ? "" : self.line()));
        System.err.flush();
    }

    private void writeDump(Snapshot s) {
        final Report r = Report.of(s, lastDump, startNanos);
        lastDump = s;
        try {
            JsonDump.write(
                    r,
                    meta,
                    dumpFile.get(),
                    analyzer == null ? null : analyzer.view(),
                    alerter == null ? null : alerter.view());
        } catch (Exception e) {
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "dump:" + e.getClass().getName(),
                    "cannot write hotpath.dump.file=" + dumpFile.get() + ": " + e + " (will keep trying)");
        }
    }

    private void reportFaults() {
        // Read before the walk: a probe disabled during it moves the count again and is looked for next tick.
        final int disabled = io.hotpath.bootstrap.Probe.disabledCount();
        if (faultsReported >= Probes.capacity() || disabled == disabledSeen) {
            return;
        }
        disabledSeen = disabled;
        Probes.forEach(p -> {
            if (p.disabled()
                    && AgentLog.once(
                            AgentLog.Level.WARN,
                            "fault:" + p.id(),
                            "probe " + p.name()
                                    + " stopped recording after an internal error (" + p.fault()
                                    + "); the application is unaffected")) {
                faultsReported++;
                AgentEvents.probeDisabled(p);
            }
        });
    }

    /** The exit work: one last summary and dump, over the whole run. */
    void finish() {
        final Snapshot s = taker.takeFull();
        if (selfCost != null) {
            selfCost.update(s, true);
        }
        reportFaults();
        AgentStarter.ADVICE_MODULES.forEach(m -> m.reportUnmatched());
        if (summaryEveryNanos > 0) {
            printSummary(s);
        }
        if (dumpFile.isPresent()) {
            writeDump(s);
        }
    }
}
