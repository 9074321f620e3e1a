/**
 * Which tunable a symptom calls for: a {@link io.hotpath.agent.optimize.rule.Symptom} is a finding as the optimizer
 * sees it, and a {@link io.hotpath.agent.optimize.rule.Rule} (trigger, action, cooldown, priority; built in or from
 * {@code hotpath.optimizer.rules}) names the role to move and the direction.
 */
package io.hotpath.agent.optimize.rule;
