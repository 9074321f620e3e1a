package benchapp;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Where the benchmarks' "application" creates its queues: plain {@code new ArrayBlockingQueue<>(n)} and
 * {@code new LinkedBlockingQueue<>(n)}, exactly what the agent rewrites in user code.
 *
 * <p>This class lives outside {@code io.hotpath} on purpose: the agent never rewrites classes under
 * {@code io/hotpath/} (its own packages), so a {@code new} inside {@code io.hotpath.benchmarks} would silently stay a
 * plain JDK queue even with the agent attached. The benchmarks verify the class they got; see
 * {@code io.hotpath.benchmarks.QueueBenchmark}.
 */
public final class QueueSites {
    /** Queue kinds the benchmarks know, by JDK simple class name. */
    public static final String ARRAY_BLOCKING_QUEUE = "ArrayBlockingQueue";

    /** See {@link #ARRAY_BLOCKING_QUEUE}. */
    public static final String LINKED_BLOCKING_QUEUE = "LinkedBlockingQueue";

    private QueueSites() {}

    /** A bounded {@link ArrayBlockingQueue}, created with {@code new} here. */
    public static <E> BlockingQueue<E> arrayBlockingQueue(int capacity) {
        return new ArrayBlockingQueue<>(capacity);
    }

    /** A bounded {@link LinkedBlockingQueue}, created with {@code new} here. */
    public static <E> BlockingQueue<E> linkedBlockingQueue(int capacity) {
        return new LinkedBlockingQueue<>(capacity);
    }

    /** A bounded queue of the named kind ({@link #ARRAY_BLOCKING_QUEUE} or {@link #LINKED_BLOCKING_QUEUE}). */
    public static <E> BlockingQueue<E> create(String kind, int capacity) {
        switch (kind) {
            case ARRAY_BLOCKING_QUEUE:
                return arrayBlockingQueue(capacity);
            case LINKED_BLOCKING_QUEUE:
                return linkedBlockingQueue(capacity);
            default:
                throw new IllegalArgumentException("unknown queue kind: " + kind);
        }
    }
}
