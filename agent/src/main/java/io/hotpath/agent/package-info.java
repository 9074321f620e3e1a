/**
 * The agent's entry point: {@link io.hotpath.agent.HotpathAgent} (premain and agentmain) loads the rest of the agent
 * in its own isolating class loader, so that nothing of the agent or its dependencies is visible to the application
 * but the bootstrap core, which start-up ({@code runtime.AgentStarter}) appends to the bootstrap class path. The
 * concerns sit in the sub-packages: configuration, instrumentation, the background runtime, analyzer, optimizer,
 * alerts, reports and telemetry (see README.md, "Layout").
 */
package io.hotpath.agent;
