/**
 * What every advice-based target shares: the single {@code AgentBuilder} setup
 * ({@link io.hotpath.agent.instrument.advice.AdviceInstaller}), the {@link io.hotpath.agent.instrument.advice.AdviceModule}
 * contract a target implements, the probe id bound into advice as a constant, the library version check, and the
 * deferred install that keeps Byte Buddy out of the application's start-up. Advice here stays one call into the
 * recording core, which guards itself against faults.
 */
package io.hotpath.agent.instrument.advice;
