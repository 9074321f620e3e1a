package io.hotpath.agent.optimize.tunable;

import io.hotpath.agent.instrument.field.FieldTunableTransformer;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * All tunables the optimizer knows: the declared fields and, found as the application creates them, the core and
 * maximum sizes of its tracked pools. Cold side only.
 */
public final class TunableRegistry implements FieldTunableTransformer.Listener {
    private final Map<String, Tunable> byName = new LinkedHashMap<>();

    /** {@link Probes#count()} at the last walk of {@link #discoverPools} that saw every registered probe. */
    private int probesWalked = -1;

    private final Map<Integer, FieldTunable> fields = new LinkedHashMap<>();

    public TunableRegistry(List<TunableSpec> specs) {
        for (TunableSpec s : specs) {
            final FieldTunable t = new FieldTunable(s);
            fields.put(s.id(), t);
            byName.put(s.name(), t);
        }
    }

    @Override
    public synchronized void resolved(TunableSpec spec, boolean isStatic, boolean isFinal, char type) {
        final FieldTunable t = fields.get(spec.id());
        if (t != null && !t.resolved()) {
            t.resolved(isStatic, isFinal, type);
            io.hotpath.agent.log.AgentLog.info("tunable " + spec.name() + ": " + spec.target() + " ("
                    + t.describeField() + ", " + spec.role().word()
                    + (spec.bounded() ? " [" + spec.min() + ".." + spec.max() + "]" : "") + ")");
        }
    }

    @Override
    public synchronized void rejected(TunableSpec spec, String problem) {
        final FieldTunable t = fields.get(spec.id());
        if (t != null) {
            t.rejected(problem);
        }
    }

    /**
     * Adds the pool-size tunables of tracked pools seen since the last call. Called every optimizer window; a probe's
     * kind and name are fixed at registration, so the walk (three names built and looked up per pool) is done only
     * when probes were registered since the last one.
     */
    public synchronized void discoverPools() {
        final int registered = Probes.count();
        if (registered == probesWalked) {
            return;
        }
        final int[] seen = {0};
        Probes.forEach(probe -> {
            seen[0]++;
            if (probe.kind() != PathKind.EXECUTOR) {
                return;
            }
            for (PoolSizeTunable.Size size : PoolSizeTunable.Size.values()) {
                final String name = PoolSizeTunable.name(probe.name(), size);
                if (!byName.containsKey(name)) {
                    byName.put(name, new PoolSizeTunable(probe.name(), size, () -> pools(probe)));
                }
            }
        });
        // A probe whose id is handed out but not yet published is not visited: the walk counts only when it saw
        // every registered probe, else it is done again next call.
        if (seen[0] == registered) {
            probesWalked = registered;
        }
    }

    private static List<ThreadPoolExecutor> pools(Probe probe) {
        final List<ThreadPoolExecutor> out = new ArrayList<>();
        probe.forEachInstance(o -> {
            if (o instanceof ThreadPoolExecutor p) {
                out.add(p);
            }
        });
        return out;
    }

    /** Adds a tunable (tests, or owners other than fields and pools). */
    public synchronized void add(Tunable t) {
        byName.put(t.name(), t);
    }

    /** The tunable of that name, or null. */
    public synchronized Tunable get(String name) {
        return byName.get(name);
    }

    /** All tunables, in declaration then discovery order. */
    public synchronized List<Tunable> all() {
        return new ArrayList<>(byName.values());
    }

    /** The declared field tunables. */
    synchronized List<FieldTunable> fields() {
        return new ArrayList<>(fields.values());
    }

    /**
     * One row per tunable for the dump and the {@code hotpath.tunable.value} metric: name, role, owner, bounds,
     * current and original value, and whether the optimizer's value is in force.
     */
    public record Row(
            String name,
            String role,
            String owner,
            String field,
            long min,
            long max,
            OptionalLong current,
            OptionalLong original,
            boolean overridden) {}

    /** The rows, for the dump and metrics. */
    public List<Row> rows() {
        final List<Row> out = new ArrayList<>();
        for (Tunable t : all()) {
            out.add(new Row(
                    t.name(),
                    t.role().word(),
                    t.owner(),
                    t instanceof FieldTunable f ? f.describeField() : "pool",
                    t.min(),
                    t.max(),
                    t.current(),
                    t.original(),
                    t.overridden()));
        }
        return out;
    }
}
