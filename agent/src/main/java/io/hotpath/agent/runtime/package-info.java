/**
 * The running agent: start-up inside the isolated class loader ({@link io.hotpath.agent.runtime.AgentStarter}), the one
 * background thread that snapshots the probes every tick and drives analyzer, optimizer, summary and dump
 * ({@link io.hotpath.agent.runtime.ColdLoop}), the retransformation of classes loaded before the agent, and the agent's
 * measure of its own cost with the overhead budget and timing sample rates that keep it small.
 */
package io.hotpath.agent.runtime;
