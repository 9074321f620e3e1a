/**
 * The adaptive optimizer: it turns the analyzer's findings into changes of runtime tunables, inside guardrails, and
 * rolls back what does not help.
 *
 * <p>{@link io.hotpath.agent.optimize.OptimizerRuntime} installs it at start-up (declared tunable fields, pool
 * sizes) and {@link io.hotpath.agent.optimize.Optimizer} runs once per tick on the cold loop's thread in the
 * {@link io.hotpath.agent.optimize.Mode} the user chose; every recommendation, change and rollback goes to the
 * {@link io.hotpath.agent.optimize.AuditTrail}. The parts sit in sub-packages by role:
 *
 * <ul>
 *   <li>{@link io.hotpath.agent.optimize.tunable}: what may be changed (tunables, their declarations, the registry);
 *   <li>{@link io.hotpath.agent.optimize.control}: how one tunable is moved and judged (controllers, guardrail,
 *       windows, the significance test);
 *   <li>{@link io.hotpath.agent.optimize.rule}: which tunable a symptom calls for (rules, symptoms).
 * </ul>
 */
package io.hotpath.agent.optimize;
