package io.hotpath.agent.optimize.whatif;

/**
 * What a change of one tunable is expected to do to the path it is judged by, in the units of that path's window
 * (tasks per second for a pool, messages per second for a declared field).
 *
 * @param throughputPerS expected throughput after the change
 * @param throughputNowPerS throughput measured before the change (the window the estimate started from)
 * @param p99Millis expected p99 after the change; NaN when the model cannot tell (the stage stays the constraint)
 * @param model which model gave it, in words: {@code M/M/c}, {@code batch amortisation}, {@code flush fill}
 */
public record Prediction(double throughputPerS, double throughputNowPerS, double p99Millis, String model) {
    /** Expected throughput over the throughput now, minus one: 0.5 for +50 %; NaN when nothing was measured. */
    public double gain() {
        return throughputNowPerS > 0 ? throughputPerS / throughputNowPerS - 1 : Double.NaN;
    }
}
