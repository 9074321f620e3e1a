/**
 * The agent's own log ({@link io.hotpath.agent.log.AgentLog}): one line per message on stderr, prefixed
 * {@code [hotpath]}, cold side only.
 */
package io.hotpath.agent.log;
