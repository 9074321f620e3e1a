package io.hotpath.agent.optimize.control;

import io.hotpath.agent.optimize.tunable.FakeTunable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * Drives one guardrail-wrapped controller against a synthetic plant (value → window) for a number of one-second
 * windows, applying proposals and rollbacks as the optimizer does in apply mode, and records what happened.
 */
final class Sim {
    final FakeTunable tunable;
    final Guardrail guard;
    final List<Long> values = new ArrayList<>();
    final List<Guardrail.Event> events = new ArrayList<>();
    /** For each event, the index of the window it happened in. */
    final List<Integer> windowOfEvent = new ArrayList<>();

    long nowNanos;

    Sim(FakeTunable tunable, Controller controller, Objective objective, GuardrailConfig config, long seed) {
        this.tunable = tunable;
        this.guard = new Guardrail(tunable, controller, objective, config, new Random(seed));
    }

    /** Runs {@code windows} windows with a constant hint. */
    Sim run(int windows, LongFunction<Window> plant, int hint) {
        for (int i = 0; i < windows; i++) {
            nowNanos += 1_000_000_000L;
            final Window w = plant.apply(tunable.value);
            for (Guardrail.Event e : guard.step(tunable.value, w, hint, null, nowNanos, false)) {
                events.add(e);
                windowOfEvent.add(values.size());
                switch (e.action()) {
                    case PROPOSE -> {
                        tunable.apply(e.to());
                        guard.applied();
                    }
                    case ROLLBACK -> tunable.apply(e.to());
                    default -> {}
                }
            }
            values.add(tunable.value);
        }
        return this;
    }

    long count(Guardrail.Action action) {
        return events.stream().filter(e -> e.action() == action).count();
    }

    /** Direction reversals of the value over the windows from {@code from}. */
    int reversals(int from) {
        int reversals = 0;
        int lastDir = 0;
        for (int i = Math.max(1, from); i < values.size(); i++) {
            final int dir = Long.compare(values.get(i), values.get(i - 1));
            if (dir != 0) {
                if (lastDir != 0 && dir != lastDir) {
                    reversals++;
                }
                lastDir = dir;
            }
        }
        return reversals;
    }

    /** Gaussian noise of relative size {@code rel}. */
    static double noisy(Random r, double value, double rel) {
        return value * (1 + rel * r.nextGaussian());
    }
}
