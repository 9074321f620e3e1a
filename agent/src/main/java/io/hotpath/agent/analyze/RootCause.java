package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.FindingTracker.Track;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Links the active findings to their root causes, from the pipeline's topology where it is known (docs/analyzer.md,
 * "Root cause"). Findings that take part are those at warning or above, and the roots of open incidents that fell back
 * to info; flow findings (saturation, back-pressure,
 * depth, latency, throughput, anomalies) are grouped by the connected part of the learned pipeline their probe is in:
 *
 * <ol>
 *   <li>Within one connected part the root is the <b>constraint</b>: of the stages with a saturation or back-pressure
 *       finding, the one with no other such stage downstream of it. Back-pressure travels upstream, so a stage whose
 *       consumers are slow fills up the stages before it, while the stages after it starve; the one furthest
 *       downstream is the one whose service rate bounds the flow, whichever finding was detected first. Ties go to the
 *       busier stage (utilisation), then to the one seen first; within one stage, to its own probe over a probe
 *       folded into it (a pool's work queue, a Netty channel's socket). Every other finding of the part, on any of
 *       its probes (the root's own included), is linked to it.
 *   <li>Two parts that share no edge stay apart: two incidents.
 *   <li>A finding on a probe with no learned edge (not placed yet) falls back to the order of detection: when there is
 *       one, the saturation or back-pressure finding seen first among the unplaced findings and the roots of the parts
 *       is the root of all of them, as before the topology was known, since nothing shows they are independent.
 *   <li>A JVM finding (GC, locks, CPU) at warning or above slows every stage: the first one is the root, instead of
 *       their own root, of the groups above (a part, or the unplaced findings) that began no earlier than {@link
 *       #JVM_LEAD_MILLIS} before it. The other JVM findings are linked to it.
 *   <li>Among the JVM findings GC pressure is the root before lock contention (a pause stalls a monitor's owner too),
 *       and both before CPU saturation, which is usually a consequence (collector threads, spinning on a monitor or on
 *       refused offers): when it is the only JVM finding it is linked to the group whose root pushes back
 *       (saturation, back-pressure); a root only when nothing else explains it.
 * </ol>
 */
final class RootCause {
    /** A JVM finding explains the flow findings that began no earlier than this before it. */
    static final long JVM_LEAD_MILLIS = 1000;

    private RootCause() {}

    static void link(List<Track> active, PipelineModel model) {
        final List<Track> flow = new ArrayList<>();
        final List<Track> jvm = new ArrayList<>();
        for (Track t : active) {
            t.root = null;
            t.linked = List.of();
            if (t.severity == Severity.INFO && !t.rootsIncident) {
                continue; // an info finding stands alone, unless it is the root of an incident still open
            }
            (t.last.kind().isFlow() ? flow : jvm).add(t);
        }
        if (flow.isEmpty()) {
            final Track root = jvmRoot(jvm);
            if (jvm.size() > 1) {
                linkAll(root, jvm);
            }
            return;
        }
        final Map<Integer, List<Track>> parts = new LinkedHashMap<>();
        final List<Track> unplaced = new ArrayList<>();
        for (Track t : flow) {
            final int c = model.component(t.last.probe());
            if (c < 0) {
                unplaced.add(t);
            } else {
                parts.computeIfAbsent(c, k -> new ArrayList<>()).add(t);
            }
        }
        final List<Group> groups = new ArrayList<>();
        for (List<Track> part : parts.values()) {
            final Track root = constraint(part, model);
            groups.add(new Group(root, part));
        }
        if (!unplaced.isEmpty()) {
            // Nothing shows that an unplaced finding is independent of the others: order of detection, as before.
            final List<Track> members = new ArrayList<>(unplaced);
            Track root = null;
            for (Track t : unplaced) {
                if (pushesBack(t) && before(t, root)) {
                    root = t;
                }
            }
            for (Group g : groups) {
                members.addAll(g.members);
                if (g.root != null && before(g.root, root)) {
                    root = g.root;
                }
            }
            if (root == null && sameProbe(unplaced) && groups.isEmpty()) {
                root = earliest(unplaced);
            }
            groups.clear();
            groups.add(new Group(root, members));
        }
        Track jvmRoot = jvmRoot(jvm);
        final List<Track> underJvm = new ArrayList<>(jvm);
        if (jvmRoot != null && jvmRoot.last.kind() == FindingKind.CPU_SATURATION) {
            // CPU saturation alone among the JVM findings: when a stage pushes back, its threads are what spins (a
            // publisher retrying refused offers, workers busy with more work than they can finish), so the CPU is a
            // consequence of that stage's incident; it is a root only of findings no stage explains.
            Group spinning = null;
            for (Group g : groups) {
                if (g.root != null && pushesBack(g.root) && (spinning == null || before(g.root, spinning.root))) {
                    spinning = g;
                }
            }
            if (spinning != null) {
                spinning.members.add(jvmRoot);
                underJvm.remove(jvmRoot);
                jvmRoot = null;
            }
        }
        for (Group g : groups) {
            if (jvmRoot != null && explainedBy(g, jvmRoot)) {
                underJvm.addAll(g.members);
            } else if (g.root != null) {
                linkAll(g.root, g.members);
            }
        }
        if (jvmRoot != null && underJvm.size() > 1) {
            linkAll(jvmRoot, underJvm);
        }
    }

    /**
     * The root among the JVM findings, or null when there are none: GC pressure before lock contention before CPU
     * saturation, whichever was seen first, then the first seen. A collector's pauses and threads stall every thread,
     * a monitor's owner too, so the threads waiting for it show as contention; both keep threads busy (collector
     * threads, spinning on the monitor), so CPU saturation is usually their consequence, or some stage's.
     */
    private static Track jvmRoot(List<Track> jvm) {
        Track best = null;
        for (Track t : jvm) {
            final int a = jvmRank(t);
            final int b = best == null ? Integer.MAX_VALUE : jvmRank(best);
            if (a != b ? a < b : before(t, best)) {
                best = t;
            }
        }
        return best;
    }

    private static int jvmRank(Track t) {
        return switch (t.last.kind()) {
            case GC_PRESSURE -> 0;
            case LOCK_CONTENTION -> 1;
            default -> 2;
        };
    }

    /**
     * Whether a JVM finding (GC, locks, CPU) explains a group of flow findings: it slows every stage, so it is the
     * root of the flow findings that began no earlier than {@link #JVM_LEAD_MILLIS} before it (a JVM finding needs its
     * own readings, every {@code jvm.interval}, and its window before it is seen, while a queue fills within a tick).
     * A group whose findings all began earlier (a stage that was saturated before the JVM's trouble started) stays an
     * incident of its own.
     */
    private static boolean explainedBy(Group g, Track jvmRoot) {
        final Track first = g.root != null ? g.root : earliest(g.members);
        return first.firstSeen >= jvmRoot.firstSeen - JVM_LEAD_MILLIS;
    }

    private static void linkAll(Track root, List<Track> members) {
        final List<String> linked = new ArrayList<>();
        for (Track t : members) {
            if (t != root) {
                t.root = root.key;
                linked.add(t.key);
            }
        }
        root.linked = List.copyOf(linked);
    }

    /**
     * The constraint of one connected part: the saturation or back-pressure finding with no other such finding
     * downstream of its stage, the busier then the earlier on ties; null when the part has none (its findings then
     * stand alone, unless they all sit on one stage).
     */
    private static Track constraint(List<Track> part, PipelineModel model) {
        Track best = null;
        for (Track t : part) {
            if (!pushesBack(t)) {
                continue;
            }
            boolean downstreamOfNone = true;
            for (Track o : part) {
                if (o != t && pushesBack(o) && model.isDownstream(t.last.probe(), o.last.probe())) {
                    downstreamOfNone = false;
                    break;
                }
            }
            if (!downstreamOfNone) {
                continue;
            }
            if (best == null) {
                best = t;
                continue;
            }
            final double ut = util(model, t);
            final double ub = util(model, best);
            final String stage = model.stage(t.last.probe());
            if (stage.equals(model.stage(best.last.probe()))) {
                // One stage: its own probe (the pool, the Netty channels) over a probe folded into it (the pool's work
                // queue, the channels' sockets), which shows the same cause from below; then the one seen first.
                final boolean own = stage.equals(t.last.probe());
                if (own != stage.equals(best.last.probe()) ? own : before(t, best)) {
                    best = t;
                }
            } else if (Math.abs(ut - ub) < 0.05) {
                if (before(t, best)) {
                    best = t;
                }
            } else if (ut > ub) {
                best = t;
            }
        }
        if (best == null && sameStage(part, model)) {
            best = earliest(part);
        }
        return best;
    }

    private static double util(PipelineModel model, Track t) {
        final double u = model.utilisation(t.last.probe());
        return Double.isNaN(u) ? 0.0 : u;
    }

    private static boolean sameStage(List<Track> part, PipelineModel model) {
        final String s = model.stage(part.get(0).last.probe());
        for (Track t : part) {
            if (!model.stage(t.last.probe()).equals(s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameProbe(List<Track> ts) {
        final String p = ts.get(0).last.probe();
        for (Track t : ts) {
            if (!t.last.probe().equals(p)) {
                return false;
            }
        }
        return true;
    }

    private static Track earliest(List<Track> ts) {
        Track best = null;
        for (Track t : ts) {
            if (before(t, best)) {
                best = t;
            }
        }
        return best;
    }

    private static boolean pushesBack(Track t) {
        final FindingKind k = t.last.kind();
        return k == FindingKind.SATURATION || k == FindingKind.BACK_PRESSURE;
    }

    /** Whether {@code t} is a better root candidate than {@code best}: seen earlier, then blocking, then a pool. */
    static boolean before(Track t, Track best) {
        if (best == null) {
            return true;
        }
        if (t.firstSeen != best.firstSeen) {
            return t.firstSeen < best.firstSeen;
        }
        final int a = rank(t);
        final int b = rank(best);
        return a != b ? a > b : t.last.impact() > best.last.impact();
    }

    private static int rank(Track t) {
        final Double blocked = t.last.evidence().get("blocked_per_s");
        final Double pushed = t.last.evidence().get("pushed_back_share");
        if ((blocked != null && blocked > 0) || (pushed != null && pushed > 0)) {
            return 2;
        }
        return t.last.evidence().containsKey("busy_share") ? 1 : 0;
    }

    private record Group(Track root, List<Track> members) {}
}
