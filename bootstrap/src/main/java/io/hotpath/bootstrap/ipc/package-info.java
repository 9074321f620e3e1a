/**
 * Recording helpers for IPC paths (sockets, Netty, Aeron) that advice calls: per-endpoint probes with bounded
 * cardinality, an identity-keyed cell table, and send-outcome accounting. Hot methods are wait-free and
 * allocation-free.
 */
package io.hotpath.bootstrap.ipc;
