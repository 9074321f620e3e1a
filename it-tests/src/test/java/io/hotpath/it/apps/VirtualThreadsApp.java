package io.hotpath.it.apps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Tracked queues and a tracked pool used from virtual threads (JDK 21+; compiled for 17, so virtual threads are
 * reached by reflection): blocking put and take on small bounded queues, tasks submitted to a pool from virtual
 * threads. A JFR recording of {@code jdk.VirtualThreadPinned} with stacks runs throughout; the app prints how many
 * pinning events there were and how many had a frame in io.hotpath.
 */
public final class VirtualThreadsApp {
    private VirtualThreadsApp() {}

    static final ArrayBlockingQueue<Integer> ARRAY = new ArrayBlockingQueue<>(16);
    static final LinkedBlockingQueue<Integer> LINKED = new LinkedBlockingQueue<>(16);
    static final ThreadPoolExecutor POOL =
            new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

    public static void main(String[] args) throws Exception {
        final int threads = Integer.parseInt(args[0]);
        final int perThread = Integer.parseInt(args[1]);
        final Path jfr = Path.of(args[2]);
        try (Recording recording = new Recording()) {
            recording
                    .enable("jdk.VirtualThreadPinned")
                    .withThreshold(Duration.ZERO)
                    .withStackTrace();
            recording.start();
            final long moved = exchange(ARRAY, threads, perThread) + exchange(LINKED, threads, perThread);
            final long done = feedPool(threads, perThread);
            POOL.shutdown();
            POOL.awaitTermination(30, TimeUnit.SECONDS);
            recording.stop();
            recording.dump(jfr);
            long pinned = 0;
            long pinnedByAgent = 0;
            long jdkOwn = 0;
            final StringBuilder where = new StringBuilder();
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (!e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                    continue;
                }
                pinned++;
                if (e.getStackTrace() == null || jdksOwnLazyInit(e)) {
                    jdkOwn++;
                    continue;
                }
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    if (f.getMethod().getType().getName().startsWith("io.hotpath.")
                            && !f.getMethod().getType().getName().startsWith("io.hotpath.it.")) {
                        pinnedByAgent++;
                        where.append(f.getMethod().getType().getName())
                                .append('.')
                                .append(f.getMethod().getName())
                                .append(e.hasField("pinnedReason") ? " (" + e.getString("pinnedReason") + ")" : "")
                                .append(' ');
                        break;
                    }
                }
            }
            System.out.println("TRUTH moved=" + moved + " tasks=" + done + " pinned=" + pinned + " jdkOwn=" + jdkOwn
                    + " pinnedByAgent=" + pinnedByAgent + " where="
                    + where.toString().trim());
        }
    }

    /**
     * A pin the JDK causes by itself, with or without any agent: its lock queues create their head node lazily, and
     * the first contended acquisitions race to initialize the node classes; a virtual thread that waits for another's
     * class initialization (or runs it) is pinned ("Waited for initialization of java.util.concurrent.locks...", "VM
     * call to ...$Node.<clinit>", or the failed preemption that follows it at AbstractQueuedSynchronizer's
     * tryInitializeHead). Seen once in six runs of this program on JDK 25 without the agent.
     */
    private static boolean jdksOwnLazyInit(RecordedEvent e) {
        final String reason = e.hasField("pinnedReason") ? String.valueOf(e.getString("pinnedReason")) : "";
        if (reason.contains("initialization of java.")
                || (reason.contains("VM call to java.") && reason.contains("<clinit>"))) {
            return true;
        }
        final List<RecordedFrame> frames = e.getStackTrace().getFrames();
        if (frames.isEmpty()) {
            return false;
        }
        final RecordedFrame top = frames.get(0);
        return top.getMethod().getType().getName().startsWith("java.util.concurrent.locks.AbstractQueuedSynchronizer")
                && (top.getMethod().getName().equals("tryInitializeHead")
                        || top.getMethod().getName().equals("<clinit>"));
    }

    private static ExecutorService virtualThreads() throws ReflectiveOperationException {
        return (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    /** Half the virtual threads put, half take, through a queue far smaller than what passes: both sides block. */
    private static long exchange(BlockingQueue<Integer> q, int threads, int perThread) throws Exception {
        final AtomicLong taken = new AtomicLong();
        final List<Callable<Object>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    q.put(i);
                }
                return null;
            });
            tasks.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    q.take();
                    taken.incrementAndGet();
                }
                return null;
            });
        }
        onVirtualThreads(tasks);
        return taken.get();
    }

    /** Virtual threads submit tasks to the pool and wait for each. */
    private static long feedPool(int threads, int perThread) throws Exception {
        final AtomicLong done = new AtomicLong();
        final List<Callable<Object>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    POOL.submit(done::incrementAndGet).get();
                }
                return null;
            });
        }
        onVirtualThreads(tasks);
        return done.get();
    }

    /** Runs each task on its own virtual thread and waits for all of them, a minute each at most. */
    private static void onVirtualThreads(List<Callable<Object>> tasks) throws Exception {
        final ExecutorService vts = virtualThreads();
        try {
            final List<Future<?>> all = new ArrayList<>();
            for (Callable<Object> task : tasks) {
                all.add(vts.submit(task));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            vts.shutdownNow();
        }
    }
}
