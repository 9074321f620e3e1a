package io.hotpath.agent.optimize;

import io.hotpath.agent.optimize.control.BatchSizeController;
import io.hotpath.agent.optimize.control.ConcurrencyController;
import io.hotpath.agent.optimize.control.Controller;
import io.hotpath.agent.optimize.control.FlushIntervalController;
import io.hotpath.agent.optimize.control.Guardrail;
import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.control.TryVerifyController;
import io.hotpath.agent.optimize.control.Window;
import io.hotpath.agent.optimize.rule.Rule;
import io.hotpath.agent.optimize.rule.Symptom;
import io.hotpath.agent.optimize.tunable.Role;
import io.hotpath.agent.optimize.tunable.Tunable;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import io.hotpath.agent.optimize.whatif.Outcome;
import io.hotpath.agent.optimize.whatif.Prediction;
import io.hotpath.agent.optimize.whatif.StageFigures;
import io.hotpath.agent.optimize.whatif.WhatIf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * The adaptive optimizer: once per analyzer window it takes the findings ({@link Symptom}s) and the measured windows
 * per probe, lets the matching rules pick tunables and directions, runs each tunable's {@link Guardrail}-wrapped
 * controller, and in {@code apply} mode puts proposals and rollbacks in force; in {@code advise} mode it only records
 * them. Every recommendation, change, verdict and rollback goes to the {@link AuditTrail}. Pure apart from the
 * tunables it changes: time, windows and randomness are passed in.
 *
 * <p>What-if: each window, every tunable a rule claims gets an estimate of what its nominal step (pool +1, batch ×2,
 * flush interval ÷2 or ×2) would do to its path's throughput ({@link WhatIf}, from the stage figures of the window),
 * and the claimed tunables are stepped in order of that estimated gain: with one change at a time per package, the
 * change expected to help most is the one made first. A change carries its own estimate into the audit trail, and
 * the verdict that ends its evaluation carries the estimate beside what the windows at the new value measured.
 *
 * <p>Kill switch: the runtime mode is read each window (in the agent, the system property
 * {@code hotpath.optimizer.mode}, which the application or a debugger may set at any time). {@code off} at runtime
 * gives every changed tunable back to the application and stops all decisions until the mode is raised again;
 * {@code advise} at runtime stops new changes but still lets a change under verification be rolled back. A kill file
 * and a JMX operation are planned on the same switch.
 */
public final class Optimizer {
    private final Mode startMode;
    private final TunableRegistry registry;
    private final List<Rule> rules;
    private final Objective objective;
    private final GuardrailConfig config;
    private final Random random;
    private final AuditTrail audit;
    private final Supplier<Mode> runtimeMode;

    private final Map<String, Guardrail> guards = new LinkedHashMap<>();
    private final Map<String, String> judgeProbe = new HashMap<>();
    private final Map<String, Long> ruleFiredNanos = new HashMap<>();
    /** The last windows, newest last, to seed a new guardrail's before-sample; at most verifyWindows. */
    private final java.util.ArrayDeque<Recent> recent = new java.util.ArrayDeque<>();
    /** By path group: the index of the window in which a value on it last changed. */
    private final Map<String, Long> groupChangedAt = new HashMap<>();
    /** By tunable: a change under evaluation, its estimate and the windows measured since. */
    private final Map<String, Pending> pending = new HashMap<>();
    /** This window's stage figures by probe name, for the estimates. */
    private Map<String, StageFigures> stages = Map.of();
    /** This window's windows by probe name. */
    private Map<String, Window> lastWindows = Map.of();
    /** The estimates of the last window's claimed steps, for the dump. */
    private List<Estimate> estimates = List.of();

    private long windowIndex;
    private Mode lastMode;
    private boolean killed;
    private boolean discoverPools;

    /**
     * @param startMode the configured mode ({@code advise} or {@code apply}; {@code off} never builds an optimizer)
     * @param registry the tunables
     * @param userRules the user's rules; the built-in ones are added after them
     * @param objective the latency objective
     * @param config guardrail parameters
     * @param random jitter source (seeded in tests)
     * @param audit where events go
     * @param runtimeMode the mode now, read every window; null keeps {@code startMode}
     */
    public Optimizer(
            Mode startMode,
            TunableRegistry registry,
            List<Rule> userRules,
            Objective objective,
            GuardrailConfig config,
            Random random,
            AuditTrail audit,
            Supplier<Mode> runtimeMode) {
        this.startMode = startMode;
        this.registry = registry;
        final List<Rule> all = new ArrayList<>(userRules);
        all.addAll(Rule.defaults());
        // Stable sort: among equal priorities, user rules stay ahead of the built-in ones.
        all.sort(Comparator.comparingInt(Rule::priority));
        this.rules = List.copyOf(all);
        this.objective = objective;
        this.config = config;
        this.random = random;
        this.audit = audit;
        this.runtimeMode = runtimeMode == null ? () -> startMode : runtimeMode;
        this.lastMode = startMode;
    }

    /**
     * Makes every window first add the pool-size tunables of tracked pools created since the last window (off by
     * default so that unit tests see only the tunables they add).
     */
    synchronized Optimizer discoverPools(boolean on) {
        this.discoverPools = on;
        return this;
    }

    /** The rules in force, highest priority first. */
    public List<Rule> rules() {
        return rules;
    }

    /** The tunables. */
    TunableRegistry registry() {
        return registry;
    }

    /** The audit trail. */
    public AuditTrail audit() {
        return audit;
    }

    /** The objective. */
    public Objective objective() {
        return objective;
    }

    /** The mode in force now (the runtime switch over the configured mode). */
    public synchronized Mode mode() {
        final Mode m = runtimeMode.get();
        return m == null ? startMode : m;
    }

    /** The guardrail of a tunable, once it has one; for tests and the dump. */
    synchronized Guardrail guardrail(String tunable) {
        return guards.get(tunable);
    }

    /**
     * One analyzer window.
     *
     * @param nowNanos the time, any fixed origin
     * @param windows what each probe measured in the window, by probe name
     * @param symptoms the findings open in this window
     */
    public synchronized void onWindow(long nowNanos, Map<String, Window> windows, List<Symptom> symptoms) {
        onWindow(nowNanos, windows, symptoms, Map.of());
    }

    /**
     * One analyzer window with the stage figures the estimates are made from.
     *
     * @param nowNanos the time, any fixed origin
     * @param windows what each probe measured in the window, by probe name
     * @param symptoms the findings open in this window
     * @param stageFigures each probe's stage figures in the window, by probe name (empty: no estimates)
     */
    public synchronized void onWindow(
            long nowNanos,
            Map<String, Window> windows,
            List<Symptom> symptoms,
            Map<String, StageFigures> stageFigures) {
        this.stages = stageFigures;
        this.lastWindows = windows;
        final Mode mode = mode();
        if (mode != lastMode) {
            audit.record(
                    "mode", "*", null, null, mode.word(), "optimizer mode " + lastMode.word() + " -> " + mode.word());
            lastMode = mode;
        }
        if (mode == Mode.OFF) {
            if (!killed) {
                killed = true;
                restoreAll("kill switch: hotpath.optimizer.mode=off at runtime");
            }
            return;
        }
        killed = false;
        if (discoverPools) {
            registry.discoverPools();
        }

        windowIndex++;
        final Map<String, Claim> claims = claims(nowNanos, symptoms);
        final Set<String> busyPaths = new HashSet<>();
        for (Guardrail g : guards.values()) {
            if (g.busy()) {
                busyPaths.add(group(g.tunable().path()));
            }
        }
        final Map<String, Prediction> nominal = new HashMap<>();
        final List<Tunable> order = byEstimate(claims, windows, nominal);
        estimates = estimates(order, claims, nominal);
        for (Tunable t : order) {
            final Claim claim = claims.get(t.name());
            if (claim != null) {
                judgeProbe.put(t.name(), claim.probe);
            }
            final String probe = judgeProbe.get(t.name());
            final Window w = probe == null ? null : pathWindow(t, probe, windows);
            final OptionalLong current = t.current();
            if (w == null || current.isEmpty() || !t.live()) {
                continue;
            }
            Guardrail g = guards.get(t.name());
            if (g == null) {
                g = new Guardrail(t, controllerFor(t), objective, config, random);
                g.seed(history(t, probe));
                guards.put(t.name(), g);
            }
            final Pending open = pending.get(t.name());
            if (open != null && windowIndex > open.changedAt) {
                open.after.add(w);
            }
            final boolean wasBusy = g.busy();
            // Decisions start from findings: without a claim this window the guardrail only watches and verifies.
            final boolean blocked = claim == null
                    || mode != Mode.APPLY && mode != Mode.ADVISE
                    || (!wasBusy && busyPaths.contains(group(t.path())))
                    || (!wasBusy && !sample(t, probe, w).settled(windowIndex - changedAt(t)));
            final List<Guardrail.Event> events = g.step(
                    current.getAsLong(),
                    w,
                    claim == null ? 0 : claim.direction,
                    claim == null ? null : claim.step,
                    nowNanos,
                    blocked);
            for (Guardrail.Event e : events) {
                handle(t, g, e, mode, claim, nowNanos, w, nominal);
            }
            if (g.busy()) {
                busyPaths.add(group(t.path()));
            }
        }
        recent.addLast(new Recent(windowIndex, Map.copyOf(windows), Map.copyOf(stageFigures)));
        while (recent.size() > config.verifyWindows()) {
            recent.removeFirst();
        }
    }

    /** The index of the window in which a value on {@code t}'s path group last changed; 0 before any change. */
    private long changedAt(Tunable t) {
        return groupChangedAt.getOrDefault(group(t.path()), 0L);
    }

    /**
     * The before-sample of {@code t}: the windows measured on its path since the last change on its path group, this
     * one ({@code w}) last, at most the verification sample; with each window's stage figures.
     */
    private Sample sample(Tunable t, String probe, Window w) {
        final long changed = changedAt(t);
        final List<Window> ws = new ArrayList<>();
        final List<Map<String, StageFigures>> ss = new ArrayList<>();
        for (Recent r : recent) {
            final Window pw = r.index > changed ? pathWindow(t, probe, r.windows) : null;
            if (pw != null) {
                ws.add(pw);
                ss.add(r.stages);
            }
        }
        ws.add(w);
        ss.add(stages);
        final int from = Math.max(0, ws.size() - config.verifyWindows());
        return new Sample(
                List.copyOf(ws.subList(from, ws.size())),
                List.copyOf(ss.subList(from, ss.size())),
                config.verifyWindows(),
                group(t.path()));
    }

    /** One past window: its index, its windows and its stage figures by probe name. */
    private record Recent(long index, Map<String, Window> windows, Map<String, StageFigures> stages) {}

    /**
     * The windows measured for {@code t} since the last change on its path group, oldest first: a before-sample at
     * the value in force.
     */
    private List<Window> history(Tunable t, String probe) {
        final long changed = changedAt(t);
        final List<Window> out = new ArrayList<>();
        for (Recent r : recent) {
            if (r.index > changed) {
                final Window w = pathWindow(t, probe, r.windows);
                if (w != null) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /**
     * The window a tunable is judged by: CPU, in-flight time and backlog of the probe its finding was on; throughput
     * of that probe too, except that a declared field ({@link Tunable#packageWide}) is judged by the highest message
     * rate of its related probes (a pool counts tasks, and a batch-size change changes how many messages a task
     * carries); p99 the highest of every related probe (any stage on the path breaking the objective breaks it for
     * the path); errors and overflow summed over them.
     */
    static Window pathWindow(Tunable t, String probe, Map<String, Window> windows) {
        final Window base = windows.get(probe);
        if (base == null) {
            return null;
        }
        double p99 = base.p99Millis();
        double errors = base.errorsPerSecond();
        double overflow = base.overflowPerSecond();
        double throughput = t.packageWide() && !base.messages() ? Double.NaN : base.throughput();
        for (Map.Entry<String, Window> e : windows.entrySet()) {
            if (e.getKey().equals(probe) || !related(t, e.getKey())) {
                continue;
            }
            final Window w = e.getValue();
            if (t.packageWide() && w.messages()) {
                throughput = Double.isNaN(throughput) ? w.throughput() : Math.max(throughput, w.throughput());
            }
            if (!Double.isNaN(w.p99Millis())) {
                p99 = Double.isNaN(p99) ? w.p99Millis() : Math.max(p99, w.p99Millis());
            }
            errors += w.errorsPerSecond();
            overflow += w.overflowPerSecond();
        }
        if (Double.isNaN(throughput)) {
            throughput = base.throughput();
        }
        return new Window(
                base.seconds(),
                throughput,
                p99,
                errors,
                overflow,
                base.cpu(),
                base.inFlightMillis(),
                base.backlog(),
                base.messages());
    }

    private void handle(
            Tunable t,
            Guardrail g,
            Guardrail.Event e,
            Mode mode,
            Claim claim,
            long nowNanos,
            Window w,
            Map<String, Prediction> nominal) {
        switch (e.action()) {
            case PROPOSE -> {
                final Sample sample = sample(t, judgeProbe.get(t.name()), w);
                final String why = (claim == null
                                ? ""
                                : "rule " + claim.rule.name() + " on " + claim.kind + " at " + claim.probe + ": ")
                        + e.reason()
                        + alternatives(t, nominal)
                        + (sample.steady() ? "" : UNSETTLED);
                if (claim != null) {
                    ruleFiredNanos.put(claim.rule.name(), nowNanos);
                }
                final Prediction p = predict(t, e.from(), e.to(), sample);
                final Outcome estimate = p == null ? null : Outcome.predicted(p);
                if (mode == Mode.APPLY) {
                    groupChangedAt.put(group(t.path()), windowIndex);
                    t.apply(e.to());
                    g.applied();
                    if (estimate != null) {
                        pending.put(t.name(), new Pending(windowIndex, estimate, new ArrayList<>()));
                    } else {
                        pending.remove(t.name());
                    }
                    audit.record("change", t.name(), e.from(), e.to(), mode.word(), why, estimate);
                } else {
                    g.advised();
                    audit.record("recommend", t.name(), e.from(), e.to(), mode.word(), why, estimate);
                }
            }
            case ROLLBACK -> {
                groupChangedAt.put(group(t.path()), windowIndex);
                final OptionalLong original = t.original();
                if (original.isPresent() && original.getAsLong() == e.to()) {
                    t.restore();
                } else {
                    t.apply(e.to());
                }
                audit.record("rollback", t.name(), e.from(), e.to(), mode.word(), e.reason(), observed(t));
            }
            case ACCEPT -> audit.record("accept", t.name(), e.from(), e.to(), mode.word(), e.reason(), observed(t));
            case FREEZE -> audit.record("freeze", t.name(), e.from(), e.to(), mode.word(), e.reason());
            case RETRY -> audit.record("retry", t.name(), e.from(), e.to(), mode.word(), e.reason());
        }
    }

    /** A change under evaluation: the window it was made in, its estimate, the windows measured at its value. */
    private record Pending(long changedAt, Outcome estimate, List<Window> after) {}

    /**
     * The estimate of the change a verdict ends, with the mean throughput and median p99 of the windows measured at
     * its value; null when the change had no estimate or no window was measured.
     */
    private Outcome observed(Tunable t) {
        final Pending p = pending.remove(t.name());
        if (p == null || p.after.isEmpty()) {
            return null;
        }
        double sum = 0;
        final List<Double> p99s = new ArrayList<>();
        for (Window w : p.after) {
            sum += w.throughput();
            if (!Double.isNaN(w.p99Millis())) {
                p99s.add(w.p99Millis());
            }
        }
        p99s.sort(null);
        final double p99 = p99s.isEmpty() ? Double.NaN : p99s.get(p99s.size() / 2);
        return p.estimate.observed(sum / p.after.size(), p99, p.after.size());
    }

    /**
     * Every tunable, the claimed ones first in order of the estimated gain of their nominal step (largest first; those
     * without an estimate after them in registry order), then the rest. Fills {@code nominal} with the estimates.
     */
    private List<Tunable> byEstimate(
            Map<String, Claim> claims, Map<String, Window> windows, Map<String, Prediction> nominal) {
        final List<Tunable> all = new ArrayList<>(registry.all());
        if (claims.isEmpty()) {
            return all;
        }
        final Map<String, Double> gain = new HashMap<>();
        for (Tunable t : all) {
            final Claim c = claims.get(t.name());
            final OptionalLong current = t.current();
            if (c == null || current.isEmpty() || !t.live()) {
                continue;
            }
            final long from = current.getAsLong();
            final long to = t.clamp(nominalStep(t.role(), from, c.direction));
            final Window w = pathWindow(t, c.probe, windows);
            final Prediction p = predict(t, from, to, w == null ? null : sample(t, c.probe, w));
            if (p != null && Double.isFinite(p.gain())) {
                nominal.put(t.name(), p);
                gain.put(t.name(), p.gain());
            }
        }
        all.sort(Comparator.comparingInt((Tunable t) -> claims.containsKey(t.name()) ? 0 : 1)
                .thenComparing(
                        Comparator.comparingDouble((Tunable t) -> gain.getOrDefault(t.name(), Double.NEGATIVE_INFINITY))
                                .reversed()));
        return all;
    }

    /**
     * The estimate of one claimed tunable's nominal step, beside the finding that claimed it: what the dump's {@code
     * optimizer.estimates} shows.
     *
     * @param tunable the tunable's name
     * @param kind the finding's kind label
     * @param probe the finding's probe
     * @param from the value now
     * @param to the nominal step's value
     * @param prediction the estimate
     */
    public record Estimate(String tunable, String kind, String probe, long from, long to, Prediction prediction) {}

    private static List<Estimate> estimates(
            List<Tunable> order, Map<String, Claim> claims, Map<String, Prediction> nominal) {
        final List<Estimate> out = new ArrayList<>();
        for (Tunable t : order) {
            final Prediction p = nominal.get(t.name());
            final Claim c = claims.get(t.name());
            final OptionalLong v = t.current();
            if (p != null && c != null && v.isPresent()) {
                final long from = v.getAsLong();
                out.add(new Estimate(
                        t.name(), c.kind, c.probe, from, t.clamp(nominalStep(t.role(), from, c.direction)), p));
            }
        }
        return List.copyOf(out);
    }

    /** The step an estimate is made for before the controller picks its own: pool ±1, batch ×2 or ÷2, flush ÷2 or ×2. */
    static long nominalStep(Role role, long from, int direction) {
        return switch (role) {
            case CONCURRENCY -> direction >= 0 ? from + 1 : from - 1;
            case BATCH_SIZE -> direction >= 0 ? Math.max(from + 1, from * 2) : Math.max(1, from / 2);
            case FLUSH_INTERVAL -> direction < 0 ? from / 2 : Math.max(from + 1, from * 2);
            default -> from;
        };
    }

    /**
     * The nominal estimates of every claimed tunable, this one first, for a change's reason: what it was weighed
     * against (a tunable with a larger estimate whose controller did not propose this window is listed too).
     */
    private static String alternatives(Tunable chosen, Map<String, Prediction> nominal) {
        final Prediction mine = nominal.get(chosen.name());
        if (mine == null || nominal.size() < 2) {
            return "";
        }
        final StringBuilder b = new StringBuilder("; estimated gain of each claimed step: this ")
                .append(String.format(java.util.Locale.ROOT, "%+.0f%%", mine.gain() * 100));
        for (Map.Entry<String, Prediction> e : nominal.entrySet()) {
            if (!e.getKey().equals(chosen.name())) {
                b.append(", ")
                        .append(e.getKey())
                        .append(String.format(
                                java.util.Locale.ROOT, " %+.0f%%", e.getValue().gain() * 100));
            }
        }
        return b.toString();
    }

    /**
     * What changing {@code t} from {@code from} to {@code to} is estimated to do to the path it is judged by ({@link
     * WhatIf}), from its before-sample: the mean throughput and the mean stage figures of the same windows the verdict
     * will compare with; null when the stage figures cannot say (no pool on the path, nothing measured, a role without
     * a model).
     */
    Prediction predict(Tunable t, long from, long to, Sample sample) {
        if (sample == null || from == to || stages.isEmpty()) {
            return null;
        }
        final String group = group(t.path());
        final double x = sample.throughput();
        return switch (t.role()) {
            case CONCURRENCY -> {
                StageFigures s = t.packageWide() ? null : sample.stage(t.path());
                if (s == null || s.servers() < 1) {
                    s = sample.constraint();
                }
                yield s == null ? null : WhatIf.pool(x, s, sample.demandFactor(lastWindows), from, to);
            }
            case BATCH_SIZE -> {
                final StageFigures s = sample.constraint();
                yield s == null ? null : WhatIf.batch(x, s, sample.demandFactor(lastWindows), from, to);
            }
            case FLUSH_INTERVAL -> {
                final StageFigures s = sample.constraint();
                final long batch = batchSize(group);
                yield s == null || batch < 1
                        ? null
                        : WhatIf.flush(x, s, sample.demandFactor(lastWindows), batch, from, to);
            }
            default -> null;
        };
    }

    /**
     * Largest spread of a before-sample that counts as settled: every window's throughput, and every window's service
     * time at the path's constraining pool, within this fraction of the sample's mean. Chosen from the what-if runs of
     * the reference application on a loaded machine (docs/optimizer.md, "What-if"): in the seconds after start, and in
     * the first window after a change, the throughput moves by more than that from one window to the next while the
     * JIT compiles and pools start threads; once warm, windows at one value stay within it.
     */
    static final double SETTLED_SPREAD = 0.15;

    /**
     * Windows after the last change (or after start) from which a before-sample that never settled is taken anyway:
     * a path too noisy for {@link #SETTLED_SPREAD} would otherwise never be changed, and ten seconds are past the
     * warm-up of the reference application.
     */
    static final long SETTLE_LIMIT = 10;

    /** Ends the reason of a change made from a before-sample that never settled ({@link #SETTLE_LIMIT}). */
    static final String UNSETTLED = "; before-sample not settled (a window off its mean by more than "
            + Math.round(SETTLED_SPREAD * 100) + " %) after " + SETTLE_LIMIT + " windows, taken as it is";

    /**
     * The windows a change's estimate starts from and its verdict compares with: the windows measured on the path since
     * the last change on its group, newest last, at most the verification sample ({@code size}); each with the stage
     * figures of its window.
     */
    record Sample(List<Window> windows, List<Map<String, StageFigures>> stageMaps, int size, String pathGroup) {
        /** The mean throughput of the windows. */
        double throughput() {
            double sum = 0;
            for (Window w : windows) {
                sum += w.throughput();
            }
            return sum / windows.size();
        }

        /**
         * Whether the sample is full and settled ({@link #SETTLED_SPREAD}), or {@code sinceChange} windows have passed
         * since the last change ({@link #SETTLE_LIMIT}). An estimate from an unsettled sample starts from a throughput
         * the next windows would not show at the same value, and the verdict compares the change with the same
         * windows: both would measure the transition, not the change.
         */
        boolean settled(long sinceChange) {
            return sinceChange > SETTLE_LIMIT || steady();
        }

        /** Whether the sample is full and every window within {@link #SETTLED_SPREAD} of the mean. */
        boolean steady() {
            if (windows.size() < size) {
                return false;
            }
            final double[] x = new double[windows.size()];
            final double[] service = new double[windows.size()];
            final String pool = constraintName();
            for (int i = 0; i < x.length; i++) {
                x[i] = windows.get(i).throughput();
                final StageFigures s = pool == null ? null : stageMaps.get(i).get(pool);
                service[i] = s == null ? Double.NaN : s.serviceSeconds();
            }
            return within(x) && (Double.isNaN(sum(service)) || within(service));
        }

        private static boolean within(double[] v) {
            final double mean = sum(v) / v.length;
            if (!(mean > 0)) {
                return false;
            }
            for (double d : v) {
                if (Math.abs(d - mean) > SETTLED_SPREAD * mean) {
                    return false;
                }
            }
            return true;
        }

        private static double sum(double[] v) {
            double sum = 0;
            for (double d : v) {
                sum += d;
            }
            return sum;
        }

        /**
         * The figures of one probe's stage averaged over the windows that have them: offered, completed and busy
         * threads are means, the pool's size and whether producers were held are those of the newest window; null
         * when the newest window has none.
         */
        StageFigures stage(String probe) {
            final StageFigures last = stageMaps.get(stageMaps.size() - 1).get(probe);
            if (last == null) {
                return null;
            }
            double offered = 0;
            double completed = 0;
            double busy = 0;
            int n = 0;
            for (Map<String, StageFigures> m : stageMaps) {
                final StageFigures s = m.get(probe);
                if (s != null && s.servers() == last.servers()) {
                    offered += s.offeredPerS();
                    completed += s.completedPerS();
                    busy += s.busy();
                    n++;
                }
            }
            return new StageFigures(last.servers(), offered / n, completed / n, busy / n, last.held());
        }

        /**
         * Demand over throughput on the path group: offered over completed, summed over the sample, at its most
         * pushed-back message stage; infinite when nothing is pushed back but a put was held in a window (what the
         * held producers would have offered is unknown); 1 when nothing shows more demand than is served. A pool's own work queue
         * ({@code <pool>.queue}) is left out: its refusals are the pool's rejections, which an application commonly
         * submits again (the reference application's dispatcher does), so each task would count once per attempt.
         *
         * @param kinds this window's windows by probe name, which say whether a probe counts messages
         */
        double demandFactor(Map<String, Window> kinds) {
            final Map<String, StageFigures> newest = stageMaps.get(stageMaps.size() - 1);
            double factor = 1;
            boolean held = false;
            for (String name : newest.keySet()) {
                final Window w = kinds.get(name);
                if (w == null || !w.messages() || !group(name).equals(pathGroup) || poolQueue(name, newest)) {
                    continue;
                }
                double offered = 0;
                double completed = 0;
                for (Map<String, StageFigures> m : stageMaps) {
                    final StageFigures s = m.get(name);
                    if (s == null) {
                        continue;
                    }
                    held |= s.held();
                    offered += s.offeredPerS();
                    completed += s.completedPerS();
                }
                if (completed > 0) {
                    factor = Math.max(factor, offered / completed);
                }
            }
            // A put held at a stage the constraint itself feeds (the reference application's fan-out task blocking on
            // a full subscriber queue) hides no demand while a stage shows more offered than served: only with none
            // is what held producers would have offered unknown.
            return held && factor <= 1 ? Double.POSITIVE_INFINITY : factor;
        }

        /** Whether {@code name} is the work queue of a pool among {@code stages} (the pool's name plus {@code .queue}). */
        private static boolean poolQueue(String name, Map<String, StageFigures> stages) {
            if (!name.endsWith(".queue")) {
                return false;
            }
            final StageFigures pool = stages.get(name.substring(0, name.length() - ".queue".length()));
            return pool != null && pool.servers() > 0;
        }

        /** The averaged figures of the path group's busiest pool in the newest window, or null. */
        StageFigures constraint() {
            final String name = constraintName();
            return name == null ? null : stage(name);
        }

        /** The busiest pool of the path group in the newest window (highest utilisation from its busy threads). */
        private String constraintName() {
            String best = null;
            double most = 0;
            for (Map.Entry<String, StageFigures> e :
                    stageMaps.get(stageMaps.size() - 1).entrySet()) {
                final StageFigures s = e.getValue();
                if (s.servers() > 0
                        && s.utilisation() > most
                        && group(e.getKey()).equals(pathGroup)) {
                    best = e.getKey();
                    most = s.utilisation();
                }
            }
            return best;
        }
    }

    /** The current value of the batch-size tunable of a path group, or -1. */
    private long batchSize(String group) {
        for (Tunable t : registry.all()) {
            final OptionalLong v = t.current();
            if (t.role() == Role.BATCH_SIZE && v.isPresent() && group(t.path()).equals(group)) {
                return v.getAsLong();
            }
        }
        return -1;
    }

    /** A rule's pick for one tunable this window. */
    private record Claim(Rule rule, String kind, String probe, int direction, LongUnaryOperator step) {}

    private Map<String, Claim> claims(long nowNanos, List<Symptom> symptoms) {
        final Map<String, Claim> claims = new HashMap<>();
        final List<Symptom> byImpact = new ArrayList<>(symptoms);
        byImpact.sort(Comparator.comparingDouble(Symptom::impact).reversed());
        for (Rule r : rules) {
            final Long fired = ruleFiredNanos.get(r.name());
            if (fired != null && nowNanos - fired < r.cooldown().toNanos()) {
                continue;
            }
            for (Symptom s : byImpact) {
                if (!r.matches(s.kind(), s.probe())) {
                    continue;
                }
                for (Tunable t : targets(r, s)) {
                    claims.putIfAbsent(t.name(), new Claim(r, s.kind(), s.probe(), r.direction(), r.step()));
                }
            }
        }
        return claims;
    }

    /**
     * A rule's tunables for a symptom: the named one, or those of the role on the probe's path when the role means
     * something for that kind of probe (a pool's latency never moves a flush interval declared in its package).
     */
    List<Tunable> targets(Rule r, Symptom s) {
        if (!r.targetsRole()) {
            final Tunable t = registry.get(r.target());
            return t == null ? List.of() : List.of(t);
        }
        final Role role = Role.of(r.target().substring(1));
        if (s.probeKind() != null && !role.fits(s.probeKind())) {
            return List.of();
        }
        final List<Tunable> out = new ArrayList<>();
        for (Tunable t : registry.all()) {
            if (t.role() == role && related(t, s.probe())) {
                out.add(t);
            }
        }
        return out;
    }

    /** A probe is on a tunable's path when it is the path or is named within it ({@code com.acme.Batcher.inbox}). */
    static boolean onPath(String path, String probe) {
        if (probe.equals(path)) {
            return true;
        }
        if (!probe.startsWith(path) || probe.length() == path.length()) {
            return false;
        }
        final char next = probe.charAt(path.length());
        return next == '.' || next == '#' || next == '$';
    }

    /**
     * Whether a finding on {@code probe} concerns tunable {@code t}: the probe is on its path, or, for a declared field
     * ({@link Tunable#packageWide}), in the same package. A declared field's path is its class, which is rarely where
     * the queue or pool it drives was built (the reference application's batcher drains a queue its broadcaster
     * built), so a finding anywhere in the package reaches it; the role of the rule's target narrows the choice. A
     * pool's path is its own probe.
     */
    static boolean related(Tunable t, String probe) {
        return onPath(t.path(), probe) || (t.packageWide() && group(t.path()).equals(group(probe)));
    }

    /**
     * The path group a name belongs to: its Java package (the leading dot-separated segments that start with a lower-case
     * letter), or the whole name when it has none. One change at a time per group.
     */
    static String group(String name) {
        int end = 0;
        int start = 0;
        while (start < name.length()) {
            int dot = name.indexOf('.', start);
            if (dot < 0 || !Character.isLowerCase(name.charAt(start))) {
                break;
            }
            end = dot;
            start = dot + 1;
        }
        return end == 0 ? name : name.substring(0, end);
    }

    Controller controllerFor(Tunable t) {
        return switch (t.role()) {
            case BATCH_SIZE -> new BatchSizeController(objective);
            case FLUSH_INTERVAL -> new FlushIntervalController(objective);
            case CONCURRENCY -> new ConcurrencyController(objective);
            case COMPRESSION -> new TryVerifyController(objective, true, 10 * config.freezeWindows());
            case SHARDS, GENERIC -> new TryVerifyController(objective, t.isBoolean(), 10 * config.freezeWindows());
        };
    }

    /**
     * Sets a tunable by hand (an operator, over HTTP or JMX), audited as a change. Returns a one-line problem, or null when
     * done.
     */
    public synchronized String set(String name, long value, String by) {
        final Tunable t = registry.get(name);
        if (t == null) {
            return "no tunable named " + name;
        }
        if (!t.live()) {
            return "tunable " + name + " is not live yet (its class is not loaded or its field not read yet)";
        }
        if (value < t.min() || value > t.max()) {
            return "value " + value + " for " + name + " outside its bounds [" + t.min() + ".." + t.max() + "]";
        }
        final OptionalLong before = t.current();
        t.apply(value);
        audit.record("change", name, before.isPresent() ? before.getAsLong() : null, value, by, "set by " + by);
        return null;
    }

    /**
     * Gives one tunable back to the application's own value by hand (an operator's reset), audited as a restore.
     * Returns a one-line problem, or null when done (also when it was not overridden: nothing to do).
     */
    public synchronized String reset(String name, String by) {
        final Tunable t = registry.get(name);
        if (t == null) {
            return "no tunable named " + name;
        }
        if (t.overridden()) {
            restore(t, by, "reset by " + by);
        }
        return null;
    }

    /** Gives every tunable the optimizer changed back to the application. */
    synchronized void restoreAll(String reason) {
        pending.clear();
        for (Tunable t : registry.all()) {
            if (t.overridden()) {
                restore(t, Mode.OFF.word(), reason);
            }
        }
    }

    private void restore(Tunable t, String by, String reason) {
        final OptionalLong from = t.current();
        t.restore();
        final OptionalLong to = t.current();
        audit.record(
                "restore",
                t.name(),
                from.isPresent() ? from.getAsLong() : null,
                to.isPresent() ? to.getAsLong() : null,
                by,
                reason);
    }

    /** The optimizer's part of the JSON dump: mode, tunables with their values, and the audit trail. */
    public record Report(
            String mode,
            List<TunableRegistry.Row> tunables,
            List<AuditEntry> audit,
            long auditTotal,
            List<Estimate> estimates) {
        /** A report without estimates. */
        public Report(String mode, List<TunableRegistry.Row> tunables, List<AuditEntry> audit, long auditTotal) {
            this(mode, tunables, audit, auditTotal, List.of());
        }
    }

    /** The estimates of the last window's claimed steps, in the order tried (the terminal summary's what-if lines). */
    public synchronized List<Estimate> estimates() {
        return estimates;
    }

    /** The dump's optimizer section. */
    public Report report() {
        final List<Estimate> now;
        synchronized (this) {
            now = estimates;
        }
        return new Report(mode().word(), registry.rows(), audit.entries(), audit.total(), now);
    }

    /**
     * Current value per tunable, for the {@code hotpath.tunable.value} gauge (attribute {@code hotpath.tunable.name});
     * tunables whose value is not known yet are left out.
     */
    Map<String, Long> tunableValues() {
        final Map<String, Long> out = new LinkedHashMap<>();
        for (Tunable t : registry.all()) {
            final OptionalLong v = t.current();
            if (v.isPresent()) {
                out.put(t.name(), v.getAsLong());
            }
        }
        return out;
    }
}
