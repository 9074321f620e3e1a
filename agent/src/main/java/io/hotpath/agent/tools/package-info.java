/**
 * The debug tools: a bounded trace of one probe written to a file ({@link io.hotpath.agent.tools.Tracer}), a probe's
 * inspection and a queue's bounded contents ({@link io.hotpath.agent.tools.Inspector}). Cold side only: the hot side's
 * part of a trace is {@link io.hotpath.bootstrap.Trace}.
 */
package io.hotpath.agent.tools;
