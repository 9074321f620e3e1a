package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.FindingTracker.Track;
import io.hotpath.exporter.Severity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the incidents across ticks: an incident opens when a finding at warning or above is a root (it explains others,
 * or stands alone), stays open while that finding is active and still a root, and closes when it resolves or becomes
 * the consequence of another root. When the root resolves while one of its consequences is still active and now
 * stands alone (a queue's depth that outlives the saturation that built it), that consequence carries the same
 * incident on as its root: one cause, one incident, one alert. The last {@link #RECENT_MAX} closed ones are kept for the outputs.
 */
final class Incidents {
    static final int RECENT_MAX = 16;

    private final Map<String, Open> open = new LinkedHashMap<>();
    private final ArrayDeque<Incident> recent = new ArrayDeque<>();

    private static final class Open {
        /** {@code incident:<key of the first root>}: kept when a consequence takes the root's place. */
        final String key;

        final long opened;
        Track root;
        Severity peak = Severity.INFO;
        Incident last;

        /**
         * What {@link #last} was built from: its root, its members in the order they were found, its severity, the
         * peak and the pipeline graph's version. While they stay the same (a steady incident, tick after tick) the
         * same incident results, so it is kept rather than built again with its chain string.
         */
        private Track builtRoot;

        private Track[] builtMembers = new Track[0];
        private Severity builtSeverity;
        private Severity builtPeak;
        private long builtGraph = -1;

        Open(Track root, long opened) {
            this.key = "incident:" + root.key;
            this.root = root;
            this.opened = opened;
        }

        /** Whether {@link #last} was built from these inputs; remembers them when not. */
        boolean builtFrom(List<Track> members, Severity severity, long graph) {
            boolean same = last != null
                    && builtRoot == root
                    && builtSeverity == severity
                    && builtPeak == peak
                    && builtGraph == graph
                    && builtMembers.length == members.size();
            for (int i = 0; same && i < builtMembers.length; i++) {
                same = builtMembers[i] == members.get(i);
            }
            if (!same) {
                builtRoot = root;
                builtMembers = members.toArray(new Track[0]);
                builtSeverity = severity;
                builtPeak = peak;
                builtGraph = graph;
            }
            return same;
        }
    }

    /** One tick, after {@link RootCause#link}; returns the active incidents then the recently closed ones. */
    List<Incident> update(List<Track> active, long epochMillis, PipelineModel model) {
        final Map<String, Track> byKey = new HashMap<>();
        for (Track t : active) {
            byKey.put(t.key, t);
        }
        final List<Open> moved = new ArrayList<>();
        for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
            final Open o = it.next();
            if (byKey.get(o.root.key) == o.root && o.root.root == null) {
                continue;
            }
            it.remove();
            // The root resolved: a consequence that outlives it and now stands alone carries the same incident on,
            // rather than opening a second one for one cause. The root became the consequence of another root (a
            // JVM finding that needed its sustain time to reach warning, a stage downstream that was placed a tick
            // later): that root carries the incident on, when it has none of its own yet, since the cause was
            // found deeper, not a second problem.
            final Track heir = o.root.root == null ? heir(o, byKey) : deeper(o, byKey);
            if (heir != null) {
                o.root = heir;
                moved.add(o);
                continue;
            }
            close(o, epochMillis);
        }
        for (Open o : moved) {
            if (open.putIfAbsent(o.root.key, o) != null) {
                close(o, epochMillis); // two incidents handed to one root: the first carries on
            }
        }
        final List<Incident> out = new ArrayList<>();
        for (Track t : active) {
            if (t.root != null) {
                continue;
            }
            Open o = open.get(t.key);
            if (o == null) {
                if (t.severity == Severity.INFO) {
                    continue;
                }
                o = adopter(t, model);
                if (o != null) {
                    open.remove(o.root.key);
                    o.root = t;
                } else {
                    o = new Open(t, epochMillis);
                }
                open.put(t.key, o);
            }
            final List<Track> members = new ArrayList<>();
            for (String k : t.linked) {
                final Track m = byKey.get(k);
                if (m != null) {
                    members.add(m);
                }
            }
            Severity severity = t.severity;
            for (Track m : members) {
                severity = Severity.max(severity, m.severity);
            }
            o.peak = Severity.max(o.peak, severity);
            // A track's key names its kind and probe, and its first sighting is fixed: the same tracks, severity and
            // graph build the same incident.
            if (!o.builtFrom(members, severity, model.graphVersion())) {
                o.last = incident(t, members, severity, o, model);
            }
            out.add(o.last);
        }
        for (Track t : active) {
            t.rootsIncident = open.containsKey(t.key);
        }
        if (out.size() > 1) {
            out.sort(ORDER);
        }
        out.addAll(recent);
        return out;
    }

    /** The order of the active incidents, built once rather than every tick: most severe first, then oldest. */
    private static final Comparator<Incident> ORDER =
            Comparator.comparing(Incident::severity).reversed().thenComparing(Incident::openedMillis);

    private void close(Open o, long epochMillis) {
        final Incident l = o.last;
        recent.addFirst(new Incident(
                l.key(),
                l.root(),
                l.kind(),
                l.probe(),
                l.severity(),
                l.peakSeverity(),
                l.consequences(),
                l.chain(),
                l.openedMillis(),
                epochMillis));
        while (recent.size() > RECENT_MAX) {
            recent.removeLast();
        }
    }

    /**
     * The root that the incident's root is now a consequence of, when that root is active, a root itself and has no
     * open incident yet; else null.
     */
    private Track deeper(Open o, Map<String, Track> byKey) {
        final Track t = byKey.get(o.root.root);
        return t != null && t.root == null && !open.containsKey(t.key) ? t : null;
    }

    /**
     * The open incident whose root, still active, fell back to info (so it links nothing now) and that listed {@code
     * t} as a consequence at its last tick, or whose root is on {@code t}'s stage (a queue's depth anomaly that reaches
     * warning after the saturation that built it fell back): {@code t} carries that incident on. Null when there is
     * none.
     */
    private Open adopter(Track t, PipelineModel model) {
        final String stage = model.stage(t.last.probe());
        for (Open o : open.values()) {
            if (o.root != t
                    && o.root.severity == Severity.INFO
                    && (o.last.consequences().contains(t.key)
                            || model.stage(o.root.last.probe()).equals(stage))) {
                return o;
            }
        }
        return null;
    }

    /** The earliest of the incident's last consequences that is still active and a root now, or null. */
    private Track heir(Open o, Map<String, Track> byKey) {
        Track best = null;
        for (String k : o.last.consequences()) {
            final Track t = byKey.get(k);
            if (t != null
                    && t.root == null
                    && !open.containsKey(t.key)
                    && (best == null || t.firstSeen < best.firstSeen)) {
                best = t;
            }
        }
        return best;
    }

    private static Incident incident(Track root, List<Track> members, Severity severity, Open o, PipelineModel model) {
        final String rootProbe = root.last.probe();
        members.sort(Comparator.comparingInt((Track m) -> {
                    final int d = model.distance(rootProbe, m.last.probe());
                    return d < 0 ? Integer.MAX_VALUE : d;
                })
                .reversed()
                .thenComparingLong(m -> m.firstSeen));
        final List<String> keys = new ArrayList<>();
        // One link of the chain per probe: its findings' kinds, the root's probe last.
        final Map<String, List<String>> kinds = new LinkedHashMap<>();
        for (Track m : members) {
            keys.add(m.key);
            if (!m.last.probe().equals(rootProbe)) {
                kinds.computeIfAbsent(m.last.probe(), k -> new ArrayList<>())
                        .add(m.last.kind().label());
            }
        }
        final List<String> rootKinds = new ArrayList<>(List.of(root.last.kind().label()));
        for (Track m : members) {
            if (m.last.probe().equals(rootProbe)) {
                rootKinds.add(m.last.kind().label());
            }
        }
        kinds.put(rootProbe, rootKinds);
        final StringBuilder chain = new StringBuilder();
        for (Map.Entry<String, List<String>> e : kinds.entrySet()) {
            if (chain.length() > 0) {
                chain.append(" \u2190 ");
            }
            chain.append(shortName(e.getKey())).append(' ').append(String.join("+", e.getValue()));
        }
        return new Incident(
                o.key,
                root.key,
                root.last.kind().label(),
                rootProbe,
                severity,
                o.peak,
                keys,
                chain.toString(),
                o.opened,
                0);
    }

    /** A probe name without its package: {@code io.acme.Dispatcher.pool} is {@code Dispatcher.pool}. */
    static String shortName(String probe) {
        final String[] parts = probe.split("\\.");
        int first = 0;
        while (first < parts.length - 1
                && !parts[first].isEmpty()
                && Character.isLowerCase(parts[first].charAt(0))
                && parts.length - first > 2) {
            first++;
        }
        return String.join(".", java.util.Arrays.asList(parts).subList(first, parts.length));
    }
}
