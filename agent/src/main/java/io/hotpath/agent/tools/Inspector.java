package io.hotpath.agent.tools;

import io.hotpath.agent.analyze.Pipeline;
import io.hotpath.agent.report.JsonWriter;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * A probe's inspection (its kind, state, the configuration of the queues or pools created at its site, their depth,
 * its counters, its place in the learned pipeline, the newest traced outcomes) and a queue's bounded contents. Cold
 * side: runs on the thread of the surface that asked (HTTP worker, JMX, attach), reads the probe's totals and its
 * tracked instances through their own public API, and never holds an application lock longer than the JDK's own
 * iterator or size method does.
 */
public final class Inspector {
    /** Most elements one contents answer may ask for. */
    public static final int CONTENTS_MAX = 1000;

    /** Elements shown when none is asked for. */
    public static final int CONTENTS_DEFAULT = 100;

    private Inspector() {}

    /**
     * {@code {"inspect":{...}}} for probe {@code p}.
     *
     * @param pipeline the learned pipeline, or null when the analyzer is off or has not run yet
     * @param tracer the agent's tracer, or null
     */
    public static String inspect(Probe p, Pipeline pipeline, Tracer tracer) {
        final StringBuilder b = new StringBuilder(1024);
        final JsonWriter w = new JsonWriter(b);
        w.beginObject().name("inspect").beginObject();
        w.name("probe").value(p.name());
        w.name("id").value(p.id());
        w.name("kind").value(p.kind().label());
        w.name("state").value(Probe.stateWord(p.state()));
        w.name("traced").value(p.traced());
        w.name("sample_mask").value(p.sampleMask());
        w.name("detail_shed").value(p.detailShed());
        w.name("instances_tracked").value(p.trackedInstances());
        w.name("instances").beginArray();
        final int[] shown = {0};
        p.forEachInstance(o -> {
            if (shown[0]++ < 16) {
                instance(w, o);
            }
        });
        w.endArray();
        w.name("counters").beginObject();
        final long[] totals = new long[Slot.COUNT];
        p.readCounters(totals);
        for (int s = 0; s < Slot.COUNT; s++) {
            if (totals[s] != 0) {
                w.name(Slot.name(s)).value(totals[s]);
            }
        }
        w.endObject();
        pipeline(w, p, pipeline);
        outcomes(w, p, tracer);
        w.endObject().endObject();
        return b.append('\n').toString();
    }

    /** One tracked instance: its class and, for the JDK types known, their configuration and depth. */
    private static void instance(JsonWriter w, Object o) {
        w.beginObject();
        w.name("class").value(o.getClass().getName());
        w.name("identity").value(Integer.toHexString(System.identityHashCode(o)));
        try {
            if (o instanceof ThreadPoolExecutor pool) {
                w.name("core_pool_size").value(pool.getCorePoolSize());
                w.name("max_pool_size").value(pool.getMaximumPoolSize());
                w.name("pool_size").value(pool.getPoolSize());
                w.name("active").value(pool.getActiveCount());
                w.name("keep_alive_ms").value(pool.getKeepAliveTime(java.util.concurrent.TimeUnit.MILLISECONDS));
                w.name("rejection_policy")
                        .value(pool.getRejectedExecutionHandler().getClass().getName());
                w.name("queue_class").value(pool.getQueue().getClass().getName());
                w.name("queue_size").value(pool.getQueue().size());
                final int room = pool.getQueue().remainingCapacity();
                w.name("queue_remaining_capacity").value(room == Integer.MAX_VALUE ? -1 : room);
                w.name("shutdown").value(pool.isShutdown());
            } else if (o instanceof Collection<?> c) {
                w.name("size").value(c.size());
                if (o instanceof BlockingQueue<?> q) {
                    final int room = q.remainingCapacity();
                    // Unbounded queues answer Integer.MAX_VALUE: shown as -1, "no bound".
                    w.name("remaining_capacity").value(room == Integer.MAX_VALUE ? -1 : room);
                }
            }
        } catch (RuntimeException e) {
            w.name("error").value(String.valueOf(e));
        }
        w.endObject();
    }

    /** The probe's stage in the learned pipeline and the probes upstream and downstream of it. */
    private static void pipeline(JsonWriter w, Probe p, Pipeline pipeline) {
        w.name("pipeline");
        if (pipeline == null) {
            w.value((String) null);
            return;
        }
        w.beginObject();
        for (Pipeline.Stage s : pipeline.stages()) {
            if (s.probe().equals(p.name())) {
                w.name("stage_of").value(s.stageOf());
                w.name("arrival_rate").value(s.arrivalRate(), 2);
                w.name("out_rate").value(s.outRate(), 2);
                w.name("utilisation").value(s.utilisation(), 3);
                w.name("queueing_delay_ms").value(s.queueingDelayMillis(), 3);
            }
        }
        w.name("upstream").beginArray();
        for (Pipeline.Edge e : pipeline.edges()) {
            if (p.name().equals(e.to())) {
                w.value(e.from() == null ? "(producer)" : e.from());
            }
        }
        w.endArray();
        w.name("downstream").beginArray();
        for (Pipeline.Edge e : pipeline.edges()) {
            if (p.name().equals(e.from())) {
                w.value(e.to());
            }
        }
        w.endArray();
        w.endObject();
    }

    /** The newest outcomes of the latest trace of this probe, and the threads seen on each side. */
    private static void outcomes(JsonWriter w, Probe p, Tracer tracer) {
        final List<Tracer.Outcome> last = tracer == null ? List.of() : tracer.lastOutcomes(p);
        final String[] trace = tracer == null ? null : tracer.lastTraceOf(p);
        w.name("trace");
        if (trace == null) {
            w.value((String) null);
        } else {
            w.beginObject()
                    .name("file")
                    .value(trace[0])
                    .name("end")
                    .value(trace[1] == null ? "running" : trace[1])
                    .endObject();
        }
        final Set<String> producers = new LinkedHashSet<>();
        final Set<String> consumers = new LinkedHashSet<>();
        for (Tracer.Outcome o : last) {
            if (o.outcome().equals("in")
                    || o.outcome().equals("dropped")
                    || o.outcome().equals("blocked")) {
                producers.add(o.thread());
            } else if (o.outcome().equals("out") || o.outcome().equals("waited")) {
                consumers.add(o.thread());
            }
        }
        if (p.kind() == PathKind.QUEUE) {
            strings(w, "producer_threads", producers);
            strings(w, "consumer_threads", consumers);
        }
        w.name("last_outcomes").beginArray();
        for (Tracer.Outcome o : last) {
            w.newline();
            w.beginObject()
                    .name("time_ms")
                    .value(o.epochMillis(), 3)
                    .name("thread")
                    .value(o.thread())
                    .name("outcome")
                    .value(o.outcome())
                    .name("amount")
                    .value(o.amount())
                    .endObject();
        }
        w.endArray();
    }

    private static void strings(JsonWriter w, String name, Collection<String> values) {
        w.name(name).beginArray();
        for (String v : values) {
            w.value(v);
        }
        w.endArray();
    }

    /**
     * {@code {"queue_contents":{...}}}: up to {@code max} elements of each queue created at probe {@code p}'s site (of
     * a pool's work queue, for a pool), read through the queue's own iterator (weakly consistent for the JDK's
     * concurrent queues, so a snapshot that may miss or repeat what moves meanwhile), each element's {@code toString}
     * cut to {@code maxChars}; a {@code toString} that throws shows as {@code <toString threw X>}.
     */
    public static String contents(Probe p, int max, int maxChars) {
        final StringBuilder b = new StringBuilder(256 + max * 32);
        final JsonWriter w = new JsonWriter(b);
        w.beginObject().name("queue_contents").beginObject();
        w.name("probe").value(p.name());
        w.name("max").value(max);
        w.name("max_chars").value(maxChars);
        w.name("queues").beginArray();
        final List<Object> queues = new ArrayList<>();
        p.forEachInstance(o -> {
            if (queues.size() < 16) {
                queues.add(o);
            }
        });
        for (Object o : queues) {
            final Collection<?> c = o instanceof ThreadPoolExecutor pool
                    ? pool.getQueue()
                    : o instanceof Collection<?> col ? col : null;
            if (c == null) {
                continue;
            }
            w.newline();
            w.beginObject();
            w.name("class").value(c.getClass().getName());
            w.name("identity").value(Integer.toHexString(System.identityHashCode(o)));
            w.name("size").value(c.size());
            w.name("elements").beginArray();
            int n = 0;
            try {
                for (final Iterator<?> it = c.iterator(); n < max && it.hasNext(); n++) {
                    w.value(shown(it.next(), maxChars));
                }
            } catch (RuntimeException e) {
                w.value("<iteration stopped: " + e.getClass().getName() + ">");
            }
            w.endArray();
            w.name("shown").value(n);
            w.endObject();
        }
        w.endArray();
        w.endObject().endObject();
        return b.append('\n').toString();
    }

    /** An element's {@code toString}, cut to {@code maxChars}; never throws. */
    static String shown(Object e, int maxChars) {
        final String s;
        try {
            s = String.valueOf(e);
        } catch (Throwable t) {
            return "<toString threw " + t.getClass().getName() + ">";
        }
        return s.length() <= maxChars ? s : s.substring(0, maxChars) + "...(" + s.length() + " chars)";
    }
}
