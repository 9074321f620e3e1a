package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.exporter.Severity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns per-tick observations into findings, with hysteresis on both ends: a finding is raised when its condition held
 * in at least half of the short window's ticks, including this one, and has been seen for at least that many ticks'
 * worth of wall time, so a single spike never raises one; it is resolved
 * when the condition has not held for {@code resolve-after}. Its severity is the highest one that held for half the
 * short window, but info until the condition has lasted {@code analyzer.sustain} without a gap of
 * {@value #RUN_GAP_TICKS} ticks: a finding is reported at once, and becomes a warning (and an alert) only when it is
 * not a burst. A finding that stays info but whose condition was observed above info for {@value #RECURRING_TICKS}
 * or more ticks in each of two or more separate runs, over at least {@code analyzer.sustain}, is
 * {@linkplain Finding#recurring() recurring}. Memory is bounded: at most {@code findings.max} live candidates and
 * findings, and half as many resolved ones kept for the outputs; observations beyond that are counted and dropped.
 */
final class FindingTracker {
    private final int window;
    private final long mask;
    private final int need;
    private final int resolveTicks;
    private final int max;
    private final long minMillis;
    private final long sustainMillis;

    /** Ticks without the condition that end a run (see {@code analyzer.sustain}). */
    static final int RUN_GAP_TICKS = 3;

    /** Ticks above info within one run that make the run count towards a recurring finding (more than a blip). */
    static final int RECURRING_TICKS = 2;

    /**
     * By kind and probe. Not by {@link Observation#key()}: that string is built on every call, and every observation
     * of every tick is looked up here.
     */
    private final Map<TrackKey, Track> live = new LinkedHashMap<>();

    private final ArrayDeque<Finding> resolved = new ArrayDeque<>();
    private long overflow;

    FindingTracker(AnalyzerConfig c) {
        this.window = Math.max(2, Math.min(63, c.shortTicks()));
        this.mask = (1L << window) - 1;
        this.need = (window + 1) / 2;
        this.resolveTicks = c.resolveTicks();
        this.max = c.findingsMax();
        this.minMillis = (need - 1) * c.tick().toMillis();
        this.sustainMillis = c.sustain().toMillis();
    }

    /** One tick: the observations of every detector. */
    void update(List<Observation> observations, long epochMillis) {
        update(observations, epochMillis, 1);
    }

    /**
     * One tick that stands for {@code ticks} ticks: when the analyzer's thread was held up (a long GC pause, a
     * suspended VM) the missed ticks count as having seen what this one sees, so that confirmation takes the same
     * wall time as usual instead of the same number of late ticks.
     */
    void update(List<Observation> observations, long epochMillis, int ticks) {
        for (Track t : live.values()) {
            t.observed = null;
        }
        for (Observation o : observations) {
            final TrackKey k = new TrackKey(o.kind(), o.probe());
            Track t = live.get(k);
            if (t == null) {
                if (live.size() >= max) {
                    overflow++;
                    continue;
                }
                t = new Track(o, epochMillis);
                live.put(k, t);
            }
            if (t.observed == null
                    || o.severity().ordinal() > t.observed.severity().ordinal()) {
                t.observed = o;
            }
        }
        for (Iterator<Track> it = live.values().iterator(); it.hasNext(); ) {
            final Track t = it.next();
            final Observation o = t.observed;
            final int n = Math.max(1, Math.min(window, ticks));
            t.any = shift(t.any, o != null, n);
            t.warn = shift(t.warn, o != null && o.severity() != Severity.INFO, n);
            t.crit = shift(t.crit, o != null && o.severity() == Severity.CRITICAL, n);
            if (o != null) {
                if (t.quiet >= RUN_GAP_TICKS) {
                    t.runStart = epochMillis; // a new run after a gap: bursts do not add up to a sustained condition
                    t.runAboveInfoTicks = 0;
                }
                if (o.severity() != Severity.INFO && ++t.runAboveInfoTicks == RECURRING_TICKS) {
                    t.runsAboveInfo++; // this run went above info for more than a blip
                }
                t.last = o;
                t.lastSeen = epochMillis;
                t.quiet = 0;
            } else {
                t.quiet += ticks;
            }
            if (t.detected == 0) {
                // Both in ticks and in wall time: late ticks after a stall count for the ticks they stand for, but
                // never let a condition confirm faster than it could in regular ticks.
                if (o != null && Long.bitCount(t.any) >= need && epochMillis - t.firstSeen >= minMillis) {
                    t.detected = epochMillis;
                } else if (t.any == 0) {
                    it.remove(); // a candidate that never confirmed
                    continue;
                }
            }
            if (t.detected != 0) {
                t.severity = Long.bitCount(t.crit) >= need
                        ? Severity.CRITICAL
                        : Long.bitCount(t.warn) >= need ? Severity.WARNING : Severity.INFO;
                if (epochMillis - t.runStart < sustainMillis) {
                    t.severity = Severity.INFO; // reported at once, but a warning only once it lasts
                }
                t.peak = Severity.max(t.peak, t.severity);
                if (t.quiet >= resolveTicks) {
                    it.remove();
                    t.resolvedAt = epochMillis;
                    resolved.addFirst(t.finding(sustainMillis));
                    while (resolved.size() > Math.max(8, max / 2)) {
                        resolved.removeLast();
                    }
                }
            }
        }
    }

    private long shift(long bits, boolean set, int n) {
        return ((bits << n) | (set ? (1L << n) - 1 : 0)) & mask;
    }

    /** Raised findings that are not resolved. */
    List<Track> active() {
        final List<Track> out = new ArrayList<>();
        for (Track t : live.values()) {
            if (t.detected != 0) {
                out.add(t);
            }
        }
        return out;
    }

    /** Active findings, most severe and then most impact first, then resolved ones, latest first. */
    List<Finding> findings() {
        final List<Finding> out = new ArrayList<>();
        for (Track t : active()) {
            out.add(t.finding(sustainMillis));
        }
        if (out.size() > 1) {
            out.sort(ORDER);
        }
        out.addAll(resolved);
        return out;
    }

    /**
     * The order of {@link #findings()}: built once, not every tick (a chain of comparators is a handful of lambdas and
     * wrappers, costly in code that runs ten times a second and so stays interpreted for long).
     */
    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity)
            .reversed()
            .thenComparing(Comparator.comparingDouble(Finding::impact).reversed())
            .thenComparing(Finding::key);

    /** Observations dropped because {@code findings.max} candidates were live. */
    long overflow() {
        return overflow;
    }

    /**
     * What a finding is identified by; see {@link Observation#key()}. Equality and hash are written out: the record's
     * generated ones go through method handles, slow in the interpreter and C1, where code run ten times a second
     * stays for a long time.
     */
    private record TrackKey(FindingKind kind, String probe) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TrackKey k && k.kind == kind && k.probe.equals(probe);
        }

        @Override
        public int hashCode() {
            return kind.ordinal() * 31 + probe.hashCode();
        }
    }

    /** One finding, raised or still a candidate. */
    static final class Track {
        /** {@link Observation#key()} of every observation of this finding, built once. */
        final String key;

        Observation last;
        Observation observed;
        long any;
        long warn;
        long crit;
        final long firstSeen;
        long runStart;
        long detected;
        long lastSeen;
        long resolvedAt;
        int quiet;
        Severity severity = Severity.INFO;
        Severity peak = Severity.INFO;
        String root;
        List<String> linked = List.of();
        /** Whether this finding roots an open incident (set by {@link Incidents}); such a root takes part in root
         * cause even at info, so a deeper cause found later can carry its incident on. */
        boolean rootsIncident;
        /** Ticks of the current run observed above info. */
        int runAboveInfoTicks;
        /** Runs that had {@link #RECURRING_TICKS} ticks above info. */
        int runsAboveInfo;

        Track(Observation first, long epochMillis) {
            this.key = first.key();
            this.last = first;
            this.firstSeen = epochMillis;
            this.runStart = epochMillis;
            this.lastSeen = epochMillis;
        }

        /** The impact this finding carries: half when another finding explains it. */
        double impact() {
            return root == null ? last.impact() : last.impact() / 2;
        }

        /** Info, yet above info in two or more runs over at least {@code sustainMillis}: a burst that keeps coming back. */
        boolean recurring(long sustainMillis) {
            return severity == Severity.INFO && runsAboveInfo >= 2 && lastSeen - firstSeen >= sustainMillis;
        }

        Finding finding(long sustainMillis) {
            return new Finding(
                    key,
                    last.kind(),
                    last.probe(),
                    severity,
                    peak,
                    impact(),
                    last.confidence(),
                    last.evidence(),
                    last.message(),
                    last.recommendation(),
                    firstSeen,
                    detected,
                    lastSeen,
                    resolvedAt,
                    root,
                    linked,
                    recurring(sustainMillis));
        }
    }
}
