/**
 * How one tunable is moved and judged: a {@link io.hotpath.agent.optimize.control.Controller} per role proposes the
 * next value from measured {@link io.hotpath.agent.optimize.control.Window}s, and the
 * {@link io.hotpath.agent.optimize.control.Guardrail} applies it, compares the windows before and after against the
 * {@link io.hotpath.agent.optimize.control.Objective} (with a {@link io.hotpath.agent.optimize.control.WelchTest}),
 * and keeps or rolls back the change within the limits of its
 * {@link io.hotpath.agent.optimize.control.GuardrailConfig}.
 */
package io.hotpath.agent.optimize.control;
