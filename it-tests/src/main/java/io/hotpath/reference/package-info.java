/**
 * The reference status broadcaster, the application the it-tests, the demo and the benchmarks run under the agent:
 * producers publish status messages into a queue, a dispatcher batches them and fans each batch out to subscribers
 * over in-process queues and, when asked, over Netty (TCP or UNIX-domain) or Aeron. It counts exactly what it did ({@link
 * io.hotpath.reference.GroundTruth}) so that tests compare the agent's dump with the application's own figures, and
 * it can inject faults on request.
 */
package io.hotpath.reference;
