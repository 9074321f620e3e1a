package io.hotpath.reference;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the in-process channels with one consumer thread share: their name, the delivered and consumed counts and the
 * consumer's latencies.
 */
abstract class ConsumerChannel implements SubscriberChannel {
    protected final String name;
    protected final AtomicLong delivered = new AtomicLong();
    protected final AtomicLong consumed = new AtomicLong();

    /** Written only by the consumer thread, read after it is joined. */
    protected final LatencyRecorder latency = new LatencyRecorder();

    ConsumerChannel(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long delivered() {
        return delivered.get();
    }

    @Override
    public final long consumed() {
        return consumed.get();
    }

    @Override
    public final LatencyRecorder latency() {
        return latency;
    }
}
