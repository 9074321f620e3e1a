package io.hotpath.agent.optimize.tunable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * Core or maximum size of the application pools created at one site (one probe), changed through the pool's own
 * setters in a safe order ({@link PoolSizes}). Every live pool of the site gets the same value; each pool's own sizes
 * at the first change are kept to give back on {@link #restore()}.
 */
public final class PoolSizeTunable implements Tunable {
    /** Which of the two sizes. */
    public enum Size {
        CORE,
        MAX
    }

    /** Upper bound for pool sizes the optimizer may set. */
    static final int MAX_THREADS = 256;

    private final String probeName;
    private final Size size;
    private final Supplier<List<ThreadPoolExecutor>> pools;
    private final Map<ThreadPoolExecutor, int[]> originals = new WeakHashMap<>();
    private boolean overridden;
    private long value;

    public PoolSizeTunable(String probeName, Size size, Supplier<List<ThreadPoolExecutor>> pools) {
        this.probeName = probeName;
        this.size = size;
        this.pools = pools;
    }

    /** {@code pool.core:<probe>} or {@code pool.max:<probe>}. */
    public static String name(String probeName, Size size) {
        return (size == Size.CORE ? "pool.core:" : "pool.max:") + probeName;
    }

    @Override
    public String name() {
        return name(probeName, size);
    }

    @Override
    public Role role() {
        return size == Size.CORE ? Role.CONCURRENCY : Role.GENERIC;
    }

    @Override
    public String owner() {
        return size == Size.CORE ? "ThreadPoolExecutor.setCorePoolSize" : "ThreadPoolExecutor.setMaximumPoolSize";
    }

    @Override
    public String path() {
        return probeName;
    }

    @Override
    public long min() {
        return 1;
    }

    @Override
    public long max() {
        return MAX_THREADS;
    }

    @Override
    public boolean isBoolean() {
        return false;
    }

    @Override
    public synchronized boolean live() {
        return !pools.get().isEmpty();
    }

    @Override
    public synchronized OptionalLong current() {
        final List<ThreadPoolExecutor> live = pools.get();
        if (live.isEmpty()) {
            return overridden ? OptionalLong.of(value) : OptionalLong.empty();
        }
        final ThreadPoolExecutor p = live.get(0);
        return OptionalLong.of(size == Size.CORE ? p.getCorePoolSize() : p.getMaximumPoolSize());
    }

    @Override
    public synchronized OptionalLong original() {
        for (Map.Entry<ThreadPoolExecutor, int[]> e : originals.entrySet()) {
            return OptionalLong.of(e.getValue()[size == Size.CORE ? 0 : 1]);
        }
        final List<ThreadPoolExecutor> live = pools.get();
        if (live.isEmpty()) {
            return OptionalLong.empty();
        }
        final ThreadPoolExecutor p = live.get(0);
        return OptionalLong.of(size == Size.CORE ? p.getCorePoolSize() : p.getMaximumPoolSize());
    }

    @Override
    public synchronized boolean overridden() {
        return overridden;
    }

    @Override
    public synchronized void apply(long newValue) {
        final int v = (int) clamp(newValue);
        for (ThreadPoolExecutor p : pools.get()) {
            if (p.isShutdown()) {
                continue;
            }
            originals.computeIfAbsent(p, k -> new int[] {k.getCorePoolSize(), k.getMaximumPoolSize()});
            if (size == Size.CORE) {
                PoolSizes.resize(p, v, Math.max(v, p.getMaximumPoolSize()));
            } else {
                PoolSizes.resize(p, Math.min(v, p.getCorePoolSize()), v);
            }
        }
        overridden = true;
        value = v;
    }

    @Override
    public synchronized void restore() {
        for (Map.Entry<ThreadPoolExecutor, int[]> e : new ArrayList<>(originals.entrySet())) {
            if (!e.getKey().isShutdown()) {
                PoolSizes.resize(e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
        }
        originals.clear();
        overridden = false;
    }
}
