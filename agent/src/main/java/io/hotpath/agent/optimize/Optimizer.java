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
        for (Tunable t : registry.all()) {
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
            final boolean wasBusy = g.busy();
            // Decisions start from findings: without a claim this window the guardrail only watches and verifies.
            final boolean blocked = claim == null
                    || mode != Mode.APPLY && mode != Mode.ADVISE
                    || (!wasBusy && busyPaths.contains(group(t.path())));
            final List<Guardrail.Event> events = g.step(
                    current.getAsLong(),
                    w,
                    claim == null ? 0 : claim.direction,
                    claim == null ? null : claim.step,
                    nowNanos,
                    blocked);
            for (Guardrail.Event e : events) {
                handle(t, g, e, mode, claim, nowNanos);
            }
            if (g.busy()) {
                busyPaths.add(group(t.path()));
            }
        }
        recent.addLast(new Recent(windowIndex, Map.copyOf(windows)));
        while (recent.size() > config.verifyWindows()) {
            recent.removeFirst();
        }
    }

    /** One past window map and its index. */
    private record Recent(long index, Map<String, Window> windows) {}

    /**
     * The windows measured for {@code t} since the last change on its path group, oldest first: a before-sample at
     * the value in force.
     */
    private List<Window> history(Tunable t, String probe) {
        final long changed = groupChangedAt.getOrDefault(group(t.path()), Long.MIN_VALUE);
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

    private void handle(Tunable t, Guardrail g, Guardrail.Event e, Mode mode, Claim claim, long nowNanos) {
        switch (e.action()) {
            case PROPOSE -> {
                final String why = (claim == null
                                ? ""
                                : "rule " + claim.rule.name() + " on " + claim.kind + " at " + claim.probe + ": ")
                        + e.reason();
                if (claim != null) {
                    ruleFiredNanos.put(claim.rule.name(), nowNanos);
                }
                if (mode == Mode.APPLY) {
                    groupChangedAt.put(group(t.path()), windowIndex);
                    t.apply(e.to());
                    g.applied();
                    audit.record("change", t.name(), e.from(), e.to(), mode.word(), why);
                } else {
                    g.advised();
                    audit.record("recommend", t.name(), e.from(), e.to(), mode.word(), why);
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
                audit.record("rollback", t.name(), e.from(), e.to(), mode.word(), e.reason());
            }
            case ACCEPT -> audit.record("accept", t.name(), e.from(), e.to(), mode.word(), e.reason());
            case FREEZE -> audit.record("freeze", t.name(), e.from(), e.to(), mode.word(), e.reason());
            case RETRY -> audit.record("retry", t.name(), e.from(), e.to(), mode.word(), e.reason());
        }
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
                for (Tunable t : targets(r, s.probe())) {
                    claims.putIfAbsent(t.name(), new Claim(r, s.kind(), s.probe(), r.direction(), r.step()));
                }
            }
        }
        return claims;
    }

    /** A rule's tunables for a probe: the named one, or those of the role on the probe's path. */
    private List<Tunable> targets(Rule r, String probe) {
        if (!r.targetsRole()) {
            final Tunable t = registry.get(r.target());
            return t == null ? List.of() : List.of(t);
        }
        final Role role = Role.of(r.target().substring(1));
        final List<Tunable> out = new ArrayList<>();
        for (Tunable t : registry.all()) {
            if (t.role() == role && related(t, probe)) {
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
     * Sets a tunable by hand (the test hook, later JMX), audited as a change. Returns a one-line problem, or null when
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
            final OptionalLong from = t.current();
            t.restore();
            final OptionalLong to = t.current();
            audit.record(
                    "restore",
                    name,
                    from.isPresent() ? from.getAsLong() : null,
                    to.isPresent() ? to.getAsLong() : null,
                    by,
                    "reset by " + by);
        }
        return null;
    }

    /** Gives every tunable the optimizer changed back to the application. */
    synchronized void restoreAll(String reason) {
        for (Tunable t : registry.all()) {
            if (t.overridden()) {
                final OptionalLong from = t.current();
                t.restore();
                final OptionalLong to = t.current();
                audit.record(
                        "restore",
                        t.name(),
                        from.isPresent() ? from.getAsLong() : null,
                        to.isPresent() ? to.getAsLong() : null,
                        Mode.OFF.word(),
                        reason);
            }
        }
    }

    /** The optimizer's part of the JSON dump: mode, tunables with their values, and the audit trail. */
    public record Report(String mode, List<TunableRegistry.Row> tunables, List<AuditEntry> audit, long auditTotal) {}

    /** The dump's optimizer section. */
    public Report report() {
        return new Report(mode().word(), registry.rows(), audit.entries(), audit.total());
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
