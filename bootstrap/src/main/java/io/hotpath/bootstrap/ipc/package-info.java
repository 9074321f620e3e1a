/**
 * Recording helpers for IPC paths (sockets, Netty, Aeron) that advice calls: per-endpoint probes with bounded
 * cardinality, an identity-keyed cell table, and send-outcome accounting. Hot methods are wait-free and
 * allocation-free.
 *
 * <p><b>internal: not an API, may change without notice.</b> On the bootstrap class path so that instrumented code can
 * call it, hence visible to the application, but not meant for it (see {@link io.hotpath.bootstrap}).
 */
package io.hotpath.bootstrap.ipc;
