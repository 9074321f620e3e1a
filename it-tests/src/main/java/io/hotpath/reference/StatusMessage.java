package io.hotpath.reference;

/**
 * One status update published by a producer and delivered to every subscriber.
 *
 * @param producerId index of the producer that published it, {@code 0..producers-1}
 * @param sequence per-producer sequence number, starting at 0 and increasing by one per publish attempt
 * @param payload the status text; a small string so that each message costs a realistic allocation
 * @param createdNanos {@link System#nanoTime()} when the producer created it, the start of the end-to-end latency
 */
public record StatusMessage(int producerId, long sequence, String payload, long createdNanos) {}
