package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.PipelineFaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Root cause from the learned pipeline, on real JVMs with programs not written for the analyzer
 * ({@link PipelineFaults}):
 *
 * <ul>
 *   <li>two paths that share nothing, overloaded in the same instant, are two incidents, each with its own alert;
 *   <li>a three-stage pipeline whose middle stage slows down names the middle stage the root, whichever finding is
 *       confirmed first (a small middle queue: full at once; a large one: it grows while the first fills behind it).
 * </ul>
 *
 * Each case runs {@code hotpath.it.incidentRuns} times (3 in CI) and must be right in at least 95 % of the runs;
 * benchmarks/incidents.sh runs 20 and prints the table from the {@code INCIDENTS} lines.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class PipelineIncidentsIT {
    static final int RUNS = Integer.getInteger("hotpath.it.incidentRuns", 3);
    private static final String APP = PipelineFaults.class.getName();

    @Test
    void twoIndependentBottlenecksAreTwoIncidentsEachWithItsAlert() throws Exception {
        final Path jdk = Jdks.homes().get(0);
        int right = 0;
        final List<String> wrong = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            final Path dump = Launch.workFile(Jdks.label(jdk) + "-independent-" + run + ".json");
            final Launch.Result r = launch(jdk, dump, "independent", "9", "3");
            final long onset = AnalyzerFindings.onset(r.stdout());
            final AnalyzerFindings found = AnalyzerFindings.read(dump);
            final List<Map<String, Object>> incidents = found.incidentsSince(onset);
            final Map<String, Object> poolIncident = incidentRootedAt(found, incidents, true);
            final Map<String, Object> queueIncident = incidentRootedAt(found, incidents, false);
            final boolean poolAlert = alerted(found, poolIncident);
            final boolean queueAlert = alerted(found, queueIncident);
            final boolean ok = poolIncident != null && queueIncident != null && poolAlert && queueAlert;
            System.out.printf(
                    "INCIDENTS independent run %d %s: %s pool=%s (%s) handoff=%s (%s) incidents=%d%n",
                    run,
                    Jdks.label(jdk),
                    ok ? "right" : "wrong",
                    poolIncident == null ? "missed" : delay(poolIncident, onset) + "ms",
                    poolAlert ? "alert" : "no alert",
                    queueIncident == null ? "missed" : delay(queueIncident, onset) + "ms",
                    queueAlert ? "alert" : "no alert",
                    incidents.size());
            if (ok) {
                right++;
            } else {
                wrong.add("run " + run + ": incidents " + incidents + "; alerts " + found.recentAlerts());
            }
        }
        assertThat(right).as("runs with two incidents, each alerted: %s", wrong).isGreaterThanOrEqualTo(needed());
    }

    @Test
    void theMiddleStageOfAThreeStagePipelineIsTheRootWhicheverFindingComesFirst() throws Exception {
        final Path jdk = Jdks.homes().get(0);
        int right = 0;
        int runs = 0;
        final List<String> wrong = new ArrayList<>();
        for (String capacity : List.of("16", "100000")) {
            for (int run = 1; run <= RUNS; run++) {
                runs++;
                final Path dump = Launch.workFile(Jdks.label(jdk) + "-three-stage-" + capacity + "-" + run + ".json");
                final Launch.Result r = launch(jdk, dump, "three-stage", "9", "3", capacity);
                final long onset = AnalyzerFindings.onset(r.stdout());
                final AnalyzerFindings found = AnalyzerFindings.read(dump);
                final String middle = APP + ".threeStage:" + Sites.MIDDLE;
                final List<Map<String, Object>> incidents = found.incidentsSince(onset);
                final String firstDetected = found.findings().stream()
                        .filter(f -> !"info".equals(f.get("peak_severity")))
                        .filter(f -> ((Number) f.get("detected_ms")).longValue() >= onset)
                        .min((a, b) -> Long.compare(
                                ((Number) a.get("detected_ms")).longValue(),
                                ((Number) b.get("detected_ms")).longValue()))
                        .map(f -> (String) f.get("key"))
                        .orElse("none");
                final boolean ok =
                        incidents.size() == 1 && middle.equals(incidents.get(0).get("probe"));
                System.out.printf(
                        "INCIDENTS three-stage capacity %s run %d %s: %s root=%s first-detected=%s incidents=%d%n",
                        capacity,
                        run,
                        Jdks.label(jdk),
                        ok ? "right" : incidents.isEmpty() ? "missed" : "wrong",
                        incidents.isEmpty() ? "-" : incidents.get(0).get("root"),
                        firstDetected,
                        incidents.size());
                if (ok) {
                    right++;
                } else {
                    wrong.add(
                            "capacity " + capacity + " run " + run + ": middle " + middle + ", incidents " + incidents);
                }
            }
        }
        assertThat(right)
                .as("runs naming the middle stage the one root: %s", wrong)
                .isGreaterThanOrEqualTo((int) Math.ceil(0.95 * runs));
    }

    private static int needed() {
        return (int) Math.ceil(0.95 * RUNS);
    }

    private static Launch.Result launch(Path jdk, Path dump, String... args) throws Exception {
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .prop("hotpath.dump.interval", "500ms")
                .prop("hotpath.shutdown.timeout", "10s")
                .testMain(PipelineFaults.class, List.of(), args)
                .timeout(Duration.ofSeconds(60))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return r;
    }

    private static long delay(Map<String, Object> incident, long onset) {
        return ((Number) incident.get("opened_ms")).longValue() - onset;
    }

    /** The incident rooted at the pool (or its work queue), or at the handoff queue; null when there is none. */
    private static Map<String, Object> incidentRootedAt(
            AnalyzerFindings found, List<Map<String, Object>> incidents, boolean pool) {
        for (Map<String, Object> i : incidents) {
            final String probe = (String) i.get("probe");
            if (!probe.startsWith(APP + ".independent")) {
                continue;
            }
            final boolean atPool = probe.endsWith(".queue") || "executor".equals(found.probeKind(probe));
            if (atPool == pool) {
                return i;
            }
        }
        return null;
    }

    private static boolean alerted(AnalyzerFindings found, Map<String, Object> incident) {
        if (incident == null) {
            return false;
        }
        final String rootKey = (String) incident.get("root");
        return found.recentAlerts().stream()
                .anyMatch(a -> "finding".equals(a.get("type")) && ((String) a.get("key")).startsWith(rootKey + ":"));
    }

    /** The source line of the middle queue's construction in {@link PipelineFaults}: its probe's name. */
    private static final class Sites {
        static final int MIDDLE = lineOf("new ArrayBlockingQueue<>(middleCapacity)");

        private static int lineOf(String text) {
            try {
                final List<String> lines = java.nio.file.Files.readAllLines(
                        Path.of("src/test/java/io/hotpath/it/apps/PipelineFaults.java"));
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains(text)) {
                        return i + 1;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new AssertionError(text + " not found in PipelineFaults.java");
        }
    }
}
