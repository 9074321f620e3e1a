package io.hotpath.bootstrap.jdk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The private state of the JDK queues that the tracked subclasses read: the element count, read without the lock to
 * decide whether a blocking call is about to wait (and so whether to count and time it), and the locks, taken around
 * the JDK's own {@code clear} so that its removals are counted exactly.
 *
 * <p>Access needs {@code java.base} to open {@code java.util.concurrent} to the recording core's module; the agent
 * does so before any tracked class loads. Without it (the core used on its own, or a JDK whose fields differ) every
 * handle is null: blocking calls are then never counted as {@code blocked}/{@code waited} or timed, and {@code clear}
 * counts its removals from a lock-free read of the size just before it, which a concurrent producer or consumer can
 * make wrong. Nothing the application sees changes either way. The fields and their types are the same on JDK 17 and
 * 25.
 */
final class JdkQueueFields {
    /** {@code ArrayBlockingQueue.count} (int), written under the lock. */
    static final VarHandle ABQ_COUNT = find(ArrayBlockingQueue.class, "count", int.class);

    /** {@code ArrayBlockingQueue.lock}. */
    static final VarHandle ABQ_LOCK = find(ArrayBlockingQueue.class, "lock", ReentrantLock.class);

    /** {@code LinkedBlockingDeque.count} (int), written under the lock. */
    static final VarHandle LBD_COUNT = find(LinkedBlockingDeque.class, "count", int.class);

    /** {@code LinkedBlockingDeque.lock}. */
    static final VarHandle LBD_LOCK = find(LinkedBlockingDeque.class, "lock", ReentrantLock.class);

    /** {@code PriorityBlockingQueue.size} (int), written under the lock. */
    static final VarHandle PBQ_SIZE = find(PriorityBlockingQueue.class, "size", int.class);

    /** {@code PriorityBlockingQueue.lock}. */
    static final VarHandle PBQ_LOCK = find(PriorityBlockingQueue.class, "lock", ReentrantLock.class);

    /** {@code LinkedBlockingQueue.putLock}; its count is an AtomicInteger that {@code size()} reads without a lock. */
    static final VarHandle LBQ_PUT_LOCK = find(LinkedBlockingQueue.class, "putLock", ReentrantLock.class);

    /** {@code LinkedBlockingQueue.takeLock}. */
    static final VarHandle LBQ_TAKE_LOCK = find(LinkedBlockingQueue.class, "takeLock", ReentrantLock.class);

    private JdkQueueFields() {}

    /**
     * The queue's count read without the lock (an opaque read, which may be stale by the time it returns), or -1 when
     * the field is not readable: only chooses whether a blocking call counts and times a wait, so that -1 is never
     * full and never empty.
     */
    static int count(ArrayBlockingQueue<?> q) {
        final VarHandle count = ABQ_COUNT;
        return count == null ? -1 : (int) count.getOpaque(q);
    }

    /** As {@link #count(ArrayBlockingQueue)}. */
    static int count(LinkedBlockingDeque<?> q) {
        final VarHandle count = LBD_COUNT;
        return count == null ? -1 : (int) count.getOpaque(q);
    }

    /** As {@link #count(ArrayBlockingQueue)}, of the size. */
    static int count(PriorityBlockingQueue<?> q) {
        final VarHandle size = PBQ_SIZE;
        return size == null ? -1 : (int) size.getOpaque(q);
    }

    /** Whether the fields are readable: the agent opened {@code java.util.concurrent} to the recording core. */
    static boolean available() {
        return ABQ_COUNT != null
                && ABQ_LOCK != null
                && LBD_COUNT != null
                && LBD_LOCK != null
                && PBQ_SIZE != null
                && PBQ_LOCK != null
                && LBQ_PUT_LOCK != null
                && LBQ_TAKE_LOCK != null;
    }

    private static VarHandle find(Class<?> owner, String name, Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not opened to us, or the field changed: see the class comment
        }
    }
}
