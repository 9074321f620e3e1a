package io.hotpath.agent.optimize;

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

    /** The defaults: 4 windows per side, cooldown 3 + up to 2, dead band 5%, step x2, freeze 30, alpha 0.05. */
    public static GuardrailConfig defaults() {
        return new GuardrailConfig(4, 3, 2, 0.05, 2, 30, 0.05);
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
