package io.hotpath.agent.analyze.detect;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probes;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Pairs each pool with its own work queue when both are probes, so that one cause is one finding. The queue of a
 * {@link ThreadPoolExecutor} refuses the offer the pool then rejects, fills when the pool's threads are all busy, and
 * its depth is the pool's {@code depth}: judged apart, a saturated pool and its queue gave two back-pressure findings
 * for the same refusals. A paired queue is not judged on its own ({@link ProbeState#workQueueOf()}); its pool's
 * findings carry the queue's figures as evidence.
 *
 * <p>Two ways to know the pair, both read on the analyzer's thread only:
 *
 * <ul>
 *   <li>by name: a queue built among a pool's constructor arguments is named {@code <pool name>.queue};
 *   <li>by instance: a tracked pool's {@code getQueue()} is the very object a queue probe tracks (a queue built
 *       elsewhere and passed in, whatever its name). The instances are walked through the probes' weak references
 *       into a map that lives for one walk, so nothing here keeps a pool or a queue alive.
 * </ul>
 *
 * A probe id found by instance is only taken when the registry's name for it matches the analyzer's state, so
 * snapshots that do not come from the live registry (tests, replays) are never paired by accident.
 */
public final class WorkQueues {
    /** Walk the instances again at most this often (ticks), and whenever a probe appears. */
    static final int REFRESH_TICKS = 50;

    private int probesSeen = -1;
    private int ticksSince;

    /**
     * Re-pairs when a probe appeared since the last call or {@link #REFRESH_TICKS} ticks passed. {@code states} is
     * indexed by probe id, null where none.
     */
    public void refresh(ProbeState[] states, int probes) {
        if (probes == probesSeen && ++ticksSince < REFRESH_TICKS) {
            return;
        }
        probesSeen = probes;
        ticksSince = 0;
        pair(states);
    }

    static void pair(ProbeState[] states) {
        final Map<String, ProbeState> pools = new HashMap<>();
        for (ProbeState s : states) {
            if (s != null && s.kind == PathKind.EXECUTOR) {
                pools.put(s.name, s);
            }
        }
        if (pools.isEmpty()) {
            return;
        }
        for (ProbeState q : states) {
            if (q != null && q.kind == PathKind.QUEUE && q.name.endsWith(".queue")) {
                final ProbeState pool = pools.get(q.name.substring(0, q.name.length() - ".queue".length()));
                if (pool != null) {
                    link(q, pool);
                }
            }
        }
        byInstance(states);
    }

    private static void byInstance(ProbeState[] states) {
        final Map<Object, ProbeState> poolOfQueue = new IdentityHashMap<>();
        Probes.forEach(probe -> {
            if (probe.kind() != PathKind.EXECUTOR) {
                return;
            }
            final ProbeState pool = state(states, probe.id(), probe.name());
            if (pool == null) {
                return;
            }
            probe.forEachInstance(o -> {
                if (o instanceof ThreadPoolExecutor tpe) {
                    poolOfQueue.putIfAbsent(tpe.getQueue(), pool);
                }
            });
        });
        if (poolOfQueue.isEmpty()) {
            return;
        }
        Probes.forEach(probe -> {
            if (probe.kind() != PathKind.QUEUE) {
                return;
            }
            final ProbeState q = state(states, probe.id(), probe.name());
            if (q == null || q.workQueueOf() != null) {
                return;
            }
            probe.forEachInstance(o -> {
                final ProbeState pool = poolOfQueue.get(o);
                if (pool != null && q.workQueueOf() == null) {
                    link(q, pool);
                }
            });
        });
    }

    private static ProbeState state(ProbeState[] states, int id, String name) {
        final ProbeState s = id >= 0 && id < states.length ? states[id] : null;
        return s != null && s.name.equals(name) ? s : null;
    }

    private static void link(ProbeState queue, ProbeState pool) {
        queue.pool = pool;
        pool.workQueue = queue;
    }
}
