/**
 * Byte Buddy and class-file instrumentation, one sub-package per target ({@code .jdk} queue and pool construction
 * sites, {@code .net} JDK sockets, {@code .netty}, {@code .aeron}, {@code .method} methods the user names,
 * {@code .field} declared tunable fields) over the shared advice machinery in {@code .advice}. This package holds what
 * every target uses: {@link io.hotpath.agent.instrument.ClassFilter}, the one list of classes the agent never rewrites,
 * the constant-pool pre-check and the user's probe renames.
 */
package io.hotpath.agent.instrument;
