/**
 * What the optimizer may change: a {@link io.hotpath.agent.optimize.tunable.Tunable} (a field the user declared in
 * {@code hotpath.tunables}, or a pool's size set through the JDK's own API), its declaration
 * ({@link io.hotpath.agent.optimize.tunable.TunableSpec}), its {@link io.hotpath.agent.optimize.tunable.Role}, and
 * the {@link io.hotpath.agent.optimize.tunable.TunableRegistry} of every tunable found so far.
 */
package io.hotpath.agent.optimize.tunable;
