/**
 * The local HTTP endpoint: the JSON API over {@link io.hotpath.agent.operate.Operations} and the dashboard's static
 * files, on the JDK's built-in server, on the agent's own daemon threads. Off unless {@code hotpath.http.port} is set.
 */
package io.hotpath.agent.http;
