package io.hotpath.agent.optimize.control;

import io.hotpath.agent.optimize.tunable.Tunable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongUnaryOperator;

/**
 * Wraps one tunable's {@link Controller} in the guardrails: hard bounds, a bounded step, a dead band, one change at a
 * time per path (the caller says when the path is busy), a before/after comparison over several windows with
 * Welch's t-test, rollback to the last known good value when the objective worsens, a cooldown with jitter after each
 * verdict, freeze after two rollbacks in a row and a half-open retry later. Pure: time is the sequence of windows
 * passed to {@link #step}; randomness comes from the {@link Random} given (seeded in tests).
 *
 * <p>Per window the caller calls {@link #step}; when it returns a proposal the caller either applies it and calls
 * {@link #applied} (apply mode), or records it as a recommendation and calls {@link #advised} (advise mode).
 */
public final class Guardrail {
    /** A mean throughput loss of more than this many dead bands is rolled back even when not significant. */
    static final double LARGE_DROP = 4;

    /** Where the guardrail is. */
    public enum State {
        /** Collecting before-windows; may propose. */
        READY,
        /** A proposal is waiting for {@link #applied} or {@link #advised}. */
        PROPOSED,
        /** A change is in force and being compared with the windows before it. */
        VERIFYING,
        /** Waiting after a verdict. */
        COOLDOWN,
        /** Two rollbacks in a row: no change until the freeze ends. */
        FROZEN
    }

    /** What happened in a step, for the audit trail. */
    public enum Action {
        PROPOSE,
        ACCEPT,
        ROLLBACK,
        FREEZE,
        RETRY
    }

    /**
     * One event of a step. For {@code PROPOSE} and {@code ROLLBACK}, {@code to} is the value to put in force.
     *
     * @param action what happened
     * @param from value before
     * @param to value after
     * @param reason why
     */
    public record Event(Action action, long from, long to, String reason) {}

    private final Tunable tunable;
    private final Controller controller;
    private final Objective objective;
    private final GuardrailConfig config;
    private final Random random;

    private State state = State.READY;
    private final List<Window> before = new ArrayList<>();
    private final List<Window> after = new ArrayList<>();
    private long lastGood;
    private long trial;
    private int waitLeft;
    private int consecutiveRollbacks;
    private int freezeLength;
    private boolean halfOpen;
    private int rollbacks;
    private int accepts;

    public Guardrail(
            Tunable tunable, Controller controller, Objective objective, GuardrailConfig config, Random random) {
        this.tunable = tunable;
        this.controller = controller;
        this.objective = objective;
        this.config = config;
        this.random = random;
        this.freezeLength = config.freezeWindows();
    }

    public State state() {
        return state;
    }

    public Tunable tunable() {
        return tunable;
    }

    /** Whether a change of this tunable is in force and not yet judged: its path is busy. */
    public boolean busy() {
        return state == State.PROPOSED || state == State.VERIFYING;
    }

    /** Whether the last attempt is a half-open retry after a freeze. */
    boolean halfOpen() {
        return halfOpen;
    }

    /** Rollbacks so far. */
    int rollbacks() {
        return rollbacks;
    }

    /** Changes kept so far. */
    public int accepts() {
        return accepts;
    }

    /**
     * One window.
     *
     * @param current the tunable's value in force
     * @param w the window on the tunable's path
     * @param hint direction asked by a finding or rule: +1, -1 or 0
     * @param ruleStep a rule's own step (value in force to value proposed), or null to ask the controller
     * @param nowNanos the time
     * @param pathBusy whether another tunable on the same path has a change in flight
     * @return the events of this window, empty when nothing happened
     */
    public List<Event> step(
            long current, Window w, int hint, LongUnaryOperator ruleStep, long nowNanos, boolean pathBusy) {
        final List<Event> events = new ArrayList<>(2);
        switch (state) {
            case VERIFYING -> verify(w, events);
            case COOLDOWN -> {
                addBefore(w);
                if (--waitLeft <= 0) {
                    state = State.READY;
                }
            }
            case FROZEN -> {
                if (--waitLeft <= 0) {
                    state = State.READY;
                    halfOpen = true;
                    before.clear();
                    events.add(new Event(Action.RETRY, current, current, "freeze over: one half-open trial allowed"));
                }
            }
            case PROPOSED -> {
                // The caller did not say what it did with the proposal: treat it as not applied.
                advised();
            }
            case READY -> propose(current, w, hint, ruleStep, nowNanos, pathBusy, events);
        }
        return events;
    }

    private void propose(
            long current,
            Window w,
            int hint,
            LongUnaryOperator ruleStep,
            long nowNanos,
            boolean pathBusy,
            List<Event> events) {
        addBefore(w);
        lastGood = current;
        // The controller sees every window so that it can learn, even when no change can be made now.
        final long wanted =
                ruleStep != null ? ruleStep.applyAsLong(current) : controller.propose(current, w, hint, nowNanos);
        if (before.size() < config.verifyWindows() || pathBusy) {
            return;
        }
        final long next = bound(current, wanted);
        if (next == current) {
            return;
        }
        trial = next;
        state = State.PROPOSED;
        final String why = ruleStep != null ? "rule step" : controller.reason();
        events.add(new Event(Action.PROPOSE, current, next, (halfOpen ? "half-open retry: " : "") + why));
    }

    /** Hard bounds, bounded step and dead band. */
    long bound(long current, long wanted) {
        long next = tunable.clamp(wanted);
        if (tunable.isBoolean()) {
            return next;
        }
        if (next > current) {
            final long limit = Math.max(current + 1, (long) Math.floor(current * config.maxStepFactor()));
            next = Math.min(next, limit);
        } else if (next < current) {
            final long limit = Math.min(current - 1, (long) Math.ceil(current / config.maxStepFactor()));
            next = Math.max(next, limit);
        }
        next = tunable.clamp(next);
        final long delta = Math.abs(next - current);
        if (delta == 0 || delta < config.deadBand() * Math.abs(current)) {
            return current;
        }
        return next;
    }

    /**
     * Seeds the before-windows with windows measured at the value in force before this guardrail existed, so that the
     * first proposal need not wait for a full before-sample. Only while nothing was proposed yet.
     */
    public void seed(List<Window> recent) {
        if (state != State.READY || !before.isEmpty()) {
            return;
        }
        for (Window w : recent) {
            addBefore(w);
        }
    }

    /** The proposal was put in force: verify it. */
    public void applied() {
        if (state != State.PROPOSED) {
            return;
        }
        state = State.VERIFYING;
        after.clear();
    }

    /** The proposal was only recommended (advise mode): nothing changed, wait a cooldown. */
    public void advised() {
        if (state != State.PROPOSED) {
            return;
        }
        cooldown();
    }

    /** The value the guardrail holds as last known good. */
    long lastGood() {
        return lastGood;
    }

    private void verify(Window w, List<Event> events) {
        after.add(w);
        final boolean early = after.size() >= 2 && breaksNow();
        if (after.size() < config.verifyWindows() && !early) {
            return;
        }
        final Verdict v = judge();
        controller.verdict(lastGood, trial, !v.worse, v.gain);
        if (v.worse) {
            rollbacks++;
            consecutiveRollbacks++;
            events.add(new Event(Action.ROLLBACK, trial, lastGood, v.reason));
            before.clear();
            if (halfOpen || consecutiveRollbacks >= 2) {
                if (halfOpen) {
                    freezeLength *= 2;
                }
                halfOpen = false;
                state = State.FROZEN;
                waitLeft = freezeLength + jitter();
                events.add(new Event(
                        Action.FREEZE,
                        lastGood,
                        lastGood,
                        consecutiveRollbacks + " rollbacks in a row: frozen for " + waitLeft + " windows"));
            } else {
                cooldown();
            }
        } else {
            accepts++;
            consecutiveRollbacks = 0;
            if (halfOpen) {
                freezeLength = config.freezeWindows();
            }
            halfOpen = false;
            events.add(new Event(Action.ACCEPT, lastGood, trial, v.reason));
            lastGood = trial;
            before.clear();
            before.addAll(after);
            cooldown();
        }
        after.clear();
    }

    private void cooldown() {
        state = State.COOLDOWN;
        waitLeft = config.cooldownWindows() + jitter();
    }

    private int jitter() {
        return config.jitterWindows() <= 0 ? 0 : random.nextInt(config.jitterWindows() + 1);
    }

    private void addBefore(Window w) {
        before.add(w);
        while (before.size() > config.verifyWindows()) {
            before.remove(0);
        }
    }

    /** Early rollback: the last two windows broke the objective, or faults appeared, where before was clean. */
    private boolean breaksNow() {
        final Window a = after.get(after.size() - 1);
        final Window b = after.get(after.size() - 2);
        if (metFraction(before) >= 0.5 && !objective.meets(a) && !objective.meets(b)) {
            return true;
        }
        return mean(before, Window::overflowPerSecond) == 0 && a.overflowPerSecond() > 0 && b.overflowPerSecond() > 0;
    }

    private record Verdict(boolean worse, double gain, String reason) {}

    private Verdict judge() {
        final double[] tb = values(before, Window::throughput);
        final double[] ta = values(after, Window::throughput);
        final WelchTest.Result tp = tb.length >= 2 && ta.length >= 2 ? WelchTest.test(tb, ta) : null;
        final double gain = tp == null ? 0 : finite(tp.relativeChange());
        final String tpText = tp == null
                ? "throughput not compared"
                : String.format(
                        Locale.ROOT,
                        "throughput %.1f -> %.1f/s (%+.1f%%, p=%.3f)",
                        tp.meanBefore(),
                        tp.meanAfter(),
                        gain * 100,
                        tp.p());
        final double metBefore = metFraction(before);
        final double metAfter = metFraction(after);
        final String p99Text = String.format(
                Locale.ROOT,
                "p99 median %.1f -> %.1f ms (objective %.0f ms)",
                median(before, Window::p99Millis),
                median(after, Window::p99Millis),
                objective.sloP99Millis());
        if (metBefore >= 0.5 && metAfter < 0.5) {
            return new Verdict(true, gain, "latency objective broken: " + p99Text + "; " + tpText);
        }
        final String faults = faultsRose();
        if (faults != null && !(tp != null && tp.significantlyHigher(config.alpha()) && faultShareFell())) {
            return new Verdict(true, gain, faults + "; " + tpText);
        }
        if (metAfter >= 0.5 && metBefore < 0.5) {
            return new Verdict(false, gain, "latency objective restored: " + p99Text + "; " + tpText);
        }
        if (tp != null && tp.significantlyLower(config.alpha())) {
            if (metBefore < 0.5) {
                final WelchTest.Result lat =
                        WelchTest.test(values(before, Window::p99Millis), values(after, Window::p99Millis));
                if (lat.significantlyLower(config.alpha())) {
                    return new Verdict(false, gain, "latency lower at a throughput cost: " + p99Text + "; " + tpText);
                }
            }
            return new Verdict(true, gain, "throughput lower: " + tpText + "; " + p99Text);
        }
        if (metBefore < 0.5) {
            final WelchTest.Result lat =
                    WelchTest.test(values(before, Window::p99Millis), values(after, Window::p99Millis));
            if (lat.significantlyHigher(config.alpha())) {
                return new Verdict(true, gain, "latency higher still: " + p99Text + "; " + tpText);
            }
        }
        // The test guards against keeping a change on the strength of one lucky sample; it must not excuse a large
        // loss that a few noisy windows cannot prove. A change whose mean throughput fell by more than LARGE_DROP dead
        // bands is rolled back unless it restored the latency objective (handled above).
        if (gain < -LARGE_DROP * config.deadBand()) {
            return new Verdict(true, gain, "throughput fell too far to keep: " + tpText + "; " + p99Text);
        }
        return new Verdict(false, gain, "not worse: " + tpText + "; " + p99Text);
    }

    private String faultsRose() {
        for (int k = 0; k < 2; k++) {
            final java.util.function.ToDoubleFunction<Window> f =
                    k == 0 ? Window::errorsPerSecond : Window::overflowPerSecond;
            final String what = k == 0 ? "errors" : "overflow";
            final double[] b = values(before, f);
            final double[] a = values(after, f);
            if (b.length < 2 || a.length < 2) {
                continue;
            }
            final double mb = WelchTest.mean(b);
            final double ma = WelchTest.mean(a);
            if (ma <= mb) {
                continue;
            }
            final boolean appeared = mb == 0 && positives(a) * 2 >= a.length;
            if (appeared || WelchTest.test(b, a).significantlyHigher(config.alpha())) {
                return String.format(Locale.ROOT, "%s rose: %.2f -> %.2f/s", what, mb, ma);
            }
        }
        return null;
    }

    /**
     * Whether errors plus overflow fell as a share of the work done: a change that lets several times more work
     * through may meet more rejections in absolute terms and still be the better setting.
     */
    private boolean faultShareFell() {
        final double tb = mean(before, Window::throughput);
        final double ta = mean(after, Window::throughput);
        if (tb <= 0 || ta <= 0) {
            return false;
        }
        final double fb = mean(before, Window::errorsPerSecond) + mean(before, Window::overflowPerSecond);
        final double fa = mean(after, Window::errorsPerSecond) + mean(after, Window::overflowPerSecond);
        return fa / ta < fb / tb;
    }

    private static int positives(double[] xs) {
        int n = 0;
        for (double x : xs) {
            if (x > 0) {
                n++;
            }
        }
        return n;
    }

    private double metFraction(List<Window> ws) {
        if (ws.isEmpty()) {
            return 1;
        }
        int met = 0;
        for (Window w : ws) {
            if (objective.meets(w)) {
                met++;
            }
        }
        return (double) met / ws.size();
    }

    private static double[] values(List<Window> ws, java.util.function.ToDoubleFunction<Window> f) {
        return ws.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
    }

    private static double mean(List<Window> ws, java.util.function.ToDoubleFunction<Window> f) {
        final double[] v = values(ws, f);
        return v.length == 0 ? 0 : WelchTest.mean(v);
    }

    private static double median(List<Window> ws, java.util.function.ToDoubleFunction<Window> f) {
        final double[] v = values(ws, f);
        if (v.length == 0) {
            return Double.NaN;
        }
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }
}
