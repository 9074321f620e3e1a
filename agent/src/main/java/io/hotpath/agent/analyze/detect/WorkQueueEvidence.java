package io.hotpath.agent.analyze.detect;

import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.bootstrap.snapshot.Gauge;

/** A pool's own work queue, when it is a probe, as evidence of the pool's finding ({@link WorkQueues}). */
final class WorkQueueEvidence {
    private WorkQueueEvidence() {}

    /**
     * Adds {@code work_queue_depth} and {@code work_queue_refused_per_s} (the offers the full queue refused: the
     * pool's rejections seen from the queue) when {@code p} is a pool paired with its queue; returns the words for
     * the message ("; work queue X holds N"), or "" for none. The queue's state may be one tick older than the pool's
     * (they are read in probe order).
     */
    static String add(ProbeState p, Evidence e) {
        final ProbeState q = p.workQueue;
        if (q == null || q.depth == Gauge.ABSENT) {
            return "";
        }
        e.put("work_queue_depth", q.depth).put("work_queue_refused_per_s", q.rate(q.droppedW));
        return "; its work queue " + q.name + " holds " + q.depth;
    }
}
