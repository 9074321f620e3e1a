package io.hotpath.bootstrap.jdk;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.function.IntFunction;

/**
 * One JDK blocking queue class and its tracked subclass, and how to make each. The one list of them: {@link
 * JdkContractTest} compares each pair, and each tracked class's test runs {@link TrackedBlockingQueueContract} on its
 * kind.
 */
enum BlockingQueueKind {
    ABQ(true, c -> new ArrayBlockingQueue<>(c), (c, id) -> new TrackedArrayBlockingQueue<>(c, id), "lock", "lock"),
    ABQ_FAIR(
            true,
            c -> new ArrayBlockingQueue<>(c, true),
            (c, id) -> new TrackedArrayBlockingQueue<>(c, true, id),
            "lock",
            "lock"),
    LBQ(
            true,
            c -> new LinkedBlockingQueue<>(c),
            (c, id) -> new TrackedLinkedBlockingQueue<>(c, id),
            "putLock",
            "takeLock"),
    LBD(true, c -> new LinkedBlockingDeque<>(c), (c, id) -> new TrackedLinkedBlockingDeque<>(c, id), "lock", "lock"),
    PBQ(false, c -> new PriorityBlockingQueue<>(), (c, id) -> new TrackedPriorityBlockingQueue<>(id), "lock", "lock"),
    LTQ(false, c -> new LinkedTransferQueue<>(), (c, id) -> new TrackedLinkedTransferQueue<>(id), null, null);

    final boolean bounded;
    final IntFunction<BlockingQueue<Integer>> plain;
    final TrackedFactory tracked;
    final String putLock;
    final String takeLock;

    BlockingQueueKind(
            boolean bounded,
            IntFunction<BlockingQueue<Integer>> plain,
            TrackedFactory tracked,
            String putLock,
            String takeLock) {
        this.bounded = bounded;
        this.plain = plain;
        this.tracked = tracked;
        this.putLock = putLock;
        this.takeLock = takeLock;
    }

    /** The tracked class's capacity constructor; unbounded classes ignore {@code capacity}. */
    interface TrackedFactory {
        BlockingQueue<Integer> create(int capacity, int probeId);
    }
}
