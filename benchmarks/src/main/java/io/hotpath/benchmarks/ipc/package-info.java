/**
 * JMH benchmarks of the IPC instrumentation: a Netty write through an {@code EmbeddedChannel} and an Aeron IPC offer,
 * each run without and with the agent by {@link io.hotpath.benchmarks.ipc.IpcBenchmarkMain}.
 */
package io.hotpath.benchmarks.ipc;
