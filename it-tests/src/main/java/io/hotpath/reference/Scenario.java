package io.hotpath.reference;

import java.time.Duration;
import java.util.Locale;

/**
 * A load shape: how the total publish rate varies over the run.
 *
 * <p>Producers pace themselves by the <em>cumulative</em> number of messages that should have been published by a
 * given moment ({@link #messagesDue}), not by an instantaneous rate: integrating the rate once, in closed form, makes
 * the published total exact whatever the park granularity, and a producer that fell behind (a long GC pause, a full
 * queue with {@code --block-producers}) catches up instead of silently losing load.
 */
public enum Scenario {
    /** A steady rate for the whole run. */
    BASIC("basic", "steady rate"),

    /**
     * Bursts at {@link #BURST_FACTOR} times the target rate for the first quarter of every {@link #BURST_PERIOD},
     * nothing for the rest, so the average over whole periods equals the target rate.
     */
    BURST("burst", "bursts at 4x the rate for 250 ms of every second, idle in between") {
        @Override
        double rateAt(double targetRate, long elapsedNanos, long durationNanos) {
            return elapsedNanos % BURST_PERIOD_NANOS < BURST_LENGTH_NANOS ? targetRate * BURST_FACTOR : 0.0;
        }

        @Override
        double messagesDue(double targetRate, long elapsedNanos, long durationNanos) {
            final long periods = elapsedNanos / BURST_PERIOD_NANOS;
            final long inBurst = Math.min(elapsedNanos % BURST_PERIOD_NANOS, BURST_LENGTH_NANOS);
            return targetRate * (periods * seconds(BURST_PERIOD_NANOS) + BURST_FACTOR * seconds(inBurst));
        }
    },

    /** As fast as the producers can publish: no rate limit, unless {@code --rate} is given explicitly. */
    STRESS("stress", "no rate limit (or the --rate given explicitly)"),

    /** The rate rises linearly from {@link #RAMP_START_FRACTION} of the target at the start to the target at the end. */
    RAMP_UP("ramp-up", "rate rises linearly from 10% of the rate to the rate over the run") {
        @Override
        double rateAt(double targetRate, long elapsedNanos, long durationNanos) {
            final double progress = Math.min(1.0, (double) elapsedNanos / durationNanos);
            return targetRate * (RAMP_START_FRACTION + (1.0 - RAMP_START_FRACTION) * progress);
        }

        @Override
        double messagesDue(double targetRate, long elapsedNanos, long durationNanos) {
            // Integral of r0 + (R - r0) * t / T from 0 to t, with r0 = RAMP_START_FRACTION * R.
            final double t = seconds(Math.min(elapsedNanos, durationNanos));
            final double total = seconds(durationNanos);
            final double start = targetRate * RAMP_START_FRACTION;
            final double ramped = start * t + (targetRate - start) * t * t / (2.0 * total);
            // Past the end (a producer finishing its last put) the rate stays at the target.
            return ramped + targetRate * seconds(Math.max(0, elapsedNanos - durationNanos));
        }
    },

    /** A steady rate for a long run: the default duration is {@link #SUSTAINED_DEFAULT_DURATION}. */
    SUSTAINED("sustained", "steady rate, default duration 60s") {
        @Override
        Duration defaultDuration() {
            return SUSTAINED_DEFAULT_DURATION;
        }
    },

    /**
     * For long runs: {@link #SOAK_PHASE} of {@link #BURST} load, then {@link #SOAK_PHASE} of steady load, and again.
     * Each phase is a whole number of burst periods, so every phase, like every burst period, averages the target rate.
     */
    SOAK("soak", "alternates 30s of bursts (as burst) with 30s of steady rate, default duration 60s") {
        @Override
        double rateAt(double targetRate, long elapsedNanos, long durationNanos) {
            final long inCycle = elapsedNanos % (2 * SOAK_PHASE_NANOS);
            return inCycle < SOAK_PHASE_NANOS ? BURST.rateAt(targetRate, inCycle, durationNanos) : targetRate;
        }

        @Override
        double messagesDue(double targetRate, long elapsedNanos, long durationNanos) {
            final long cycles = elapsedNanos / (2 * SOAK_PHASE_NANOS);
            final long inCycle = elapsedNanos % (2 * SOAK_PHASE_NANOS);
            final double done = targetRate * cycles * seconds(2 * SOAK_PHASE_NANOS);
            return inCycle < SOAK_PHASE_NANOS
                    ? done + BURST.messagesDue(targetRate, inCycle, durationNanos)
                    : done + targetRate * seconds(inCycle);
        }

        @Override
        Duration defaultDuration() {
            return SUSTAINED_DEFAULT_DURATION;
        }
    };

    /** Length of each burst phase and each steady phase of {@link #SOAK}. */
    public static final Duration SOAK_PHASE = Duration.ofSeconds(30);

    /** Length of one burst cycle (burst plus idle gap). */
    public static final Duration BURST_PERIOD = Duration.ofSeconds(1);

    /** Rate multiplier during a burst; the burst lasts {@code 1 / BURST_FACTOR} of each period. */
    public static final double BURST_FACTOR = 4.0;

    /** Fraction of the target rate at which {@link #RAMP_UP} starts. */
    public static final double RAMP_START_FRACTION = 0.1;

    /** Run length of every scenario when {@code --duration} is not given, except {@link #SUSTAINED}. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);

    /** Run length of {@link #SUSTAINED} when {@code --duration} is not given. */
    public static final Duration SUSTAINED_DEFAULT_DURATION = Duration.ofSeconds(60);

    private static final long BURST_PERIOD_NANOS = BURST_PERIOD.toNanos();
    private static final long BURST_LENGTH_NANOS = (long) (BURST_PERIOD_NANOS / BURST_FACTOR);
    private static final long SOAK_PHASE_NANOS = SOAK_PHASE.toNanos();

    private final String cliName;
    private final String description;

    Scenario(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /**
     * The instantaneous rate in messages per second at {@code elapsedNanos} into a run of {@code durationNanos}.
     *
     * A steady rate unless the scenario shapes it.
     *
     * @param targetRate the configured rate ({@code --rate}), possibly {@link Double#POSITIVE_INFINITY}
     */
    double rateAt(double targetRate, long elapsedNanos, long durationNanos) {
        return targetRate;
    }

    /**
     * How many messages should have been published in total from the start of the run to {@code elapsedNanos}: the
     * integral of {@link #rateAt} over {@code [0, elapsedNanos]}. Whoever overrides one overrides both.
     */
    double messagesDue(double targetRate, long elapsedNanos, long durationNanos) {
        return targetRate * seconds(elapsedNanos);
    }

    /** The run length when {@code --duration} is not given. */
    Duration defaultDuration() {
        return DEFAULT_DURATION;
    }

    /** The name used on the command line and in the ground truth, e.g. {@code ramp-up}. */
    public String cliName() {
        return cliName;
    }

    /** One line for {@code --help}. */
    public String description() {
        return description;
    }

    /** The scenario named {@code name} on the command line (case-insensitive; {@code ramp_up} is accepted too). */
    public static Scenario fromCliName(String name) {
        final String normalized = name.toLowerCase(Locale.ROOT).replace('_', '-');
        for (Scenario scenario : values()) {
            if (scenario.cliName.equals(normalized)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'");
    }

    /** All command-line names, for error messages: {@code basic, burst, ...}. */
    public static String cliNames() {
        final StringBuilder names = new StringBuilder();
        for (Scenario scenario : values()) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(scenario.cliName);
        }
        return names.toString();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
