package io.hotpath.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.optimize.tunable.Role;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every probe detector's recommendation, on every kind of probe, names only tunables that exist for that kind
 * ({@link Role#fits}): a pool's finding never says "flush interval".
 */
class RecommendationWordsTest {
    /** How a recommendation names each role. */
    private static final Map<Role, List<String>> WORDS = Map.of(
            Role.FLUSH_INTERVAL, List.of("flush"),
            Role.BATCH_SIZE, List.of("batch"),
            Role.CONCURRENCY, List.of("pool size", "consumers", "threads"),
            Role.COMPRESSION, List.of("compress"),
            Role.SHARDS, List.of("shard"));

    @Test
    void recommendationsNameOnlyTheTunablesOfTheProbesKind() {
        for (PathKind kind : PathKind.values()) {
            final Synth synth = new Synth();
            final Analyzer analyzer = Analyzer.forSnapshotsOnly(Synth.config());
            final Synth.Probe p = synth.probe("com.acme.Stage.x", kind);
            final Set<String> kinds = new TreeSet<>();
            final List<String> said = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                final boolean bad = i >= 60;
                p.add(Slot.CALLS, 1000).add(Slot.IN, 1000).add(Slot.OUT, bad ? 10 : 1000);
                if (bad) {
                    p.add(Slot.DROPPED, 300).add(Slot.ERRORS, 100).add(Slot.PARTIAL, 100);
                    if (kind == PathKind.QUEUE || kind == PathKind.EXECUTOR) {
                        p.gauge(Gauge.DEPTH, 8000 + 100L * i);
                    }
                    if (kind == PathKind.EXECUTOR) {
                        p.gauge(Gauge.ACTIVE, 4).gauge(Gauge.POOL_SIZE, 4);
                    }
                    p.latency(600_000_000L, 100);
                } else {
                    p.latency(1_000_000L + (i % 7) * 10_000L, 100);
                }
                analyzer.onSnapshot(synth.tick());
                for (Finding f : analyzer.view().findings()) {
                    if (f.probe().equals(p.name) && kinds.add(f.kind().label())) {
                        said.add(f.recommendation());
                    }
                }
            }
            assertThat(kinds).as("findings on a %s", kind).contains("latency", "error_rate");
            for (String text : said) {
                for (Map.Entry<Role, List<String>> e : WORDS.entrySet()) {
                    if (e.getKey().fits(kind)) {
                        continue;
                    }
                    for (String word : e.getValue()) {
                        assertThat(text).as("a %s's recommendation", kind).doesNotContain(word);
                    }
                }
            }
        }
    }
}
