package io.hotpath.agent.optimize.control;

/**
 * Guardrail parameters, in analyzer windows.
 *
 * @param verifyWindows windows compared before and after a change (the statistical test's sample size per side)
 * @param cooldownWindows windows to wait after a verdict before the next change
 * @param jitterWindows up to this many more cooldown windows, drawn at random, so that tunables on related paths do
 *     not move in lock step
 * @param deadBand smallest relative change worth trying (changes of less than this, and less than 1, are not made)
 * @param maxStepFactor largest multiplicative step per change (2: at most double or halve)
 * @param freezeWindows how long a tunable stays frozen after two rollbacks in a row before a half-open retry; doubles
 *     after each failed retry
 * @param alpha significance level of the before/after test
 */
public record GuardrailConfig(
        int verifyWindows,
        int cooldownWindows,
        int jitterWindows,
        double deadBand,
        double maxStepFactor,
        int freezeWindows,
        double alpha) {
    public GuardrailConfig {
        if (verifyWindows < 2) {
            throw new IllegalArgumentException("verifyWindows must be at least 2");
        }
        if (maxStepFactor <= 1) {
            throw new IllegalArgumentException("maxStepFactor must be above 1");
        }
    }

    /**
     * The defaults, chosen so that a mis-tuned start converges within about 15 one-second windows (docs/optimizer.md):
     * 3 windows per side, cooldown 1 + up to 1 of jitter, dead band 5%, step at most x4, freeze 30, alpha 0.05. One
     * change then takes 5 to 6 windows from proposal to the next proposal; a batch size goes 1 → 4 → 16 → 64 in three.
     */
    public static GuardrailConfig defaults() {
        return new GuardrailConfig(3, 1, 1, 0.05, 4, 30, 0.05);
    }

    /** The same with another number of windows per side. */
    public GuardrailConfig withVerifyWindows(int n) {
        return new GuardrailConfig(n, cooldownWindows, jitterWindows, deadBand, maxStepFactor, freezeWindows, alpha);
    }

    /** The same with another cooldown. */
    public GuardrailConfig withCooldown(int windows, int jitter) {
        return new GuardrailConfig(verifyWindows, windows, jitter, deadBand, maxStepFactor, freezeWindows, alpha);
    }

    /** The same with another freeze length. */
    public GuardrailConfig withFreezeWindows(int n) {
        return new GuardrailConfig(verifyWindows, cooldownWindows, jitterWindows, deadBand, maxStepFactor, n, alpha);
    }
}
