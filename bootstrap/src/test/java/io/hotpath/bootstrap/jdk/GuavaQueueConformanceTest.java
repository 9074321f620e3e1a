package io.hotpath.bootstrap.jdk;

import com.google.common.collect.testing.MinimalCollection;
import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.Feature;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

/**
 * Guava's collection conformance suites (guava-testlib's {@link QueueTestSuiteBuilder}, which includes every
 * {@code Collection} tester) run against every tracked queue and deque class, with the same features Guava's own
 * {@code TestsForQueuesInJavaUtil} declares for the JDK class each one extends, plus null queries (all six answer
 * {@code contains(null)}/{@code remove(null)} with false). Recording is active: every queue records into a probe, and
 * the suite ends by checking that each probe counted what the testers put in and never failed.
 *
 * <p>Each class is built twice: with its collection constructor, and empty and then filled with {@code offer}, so that
 * both the constructor's count and the counting {@code offer} path are exercised by the testers.
 */
@RunWith(AllTests.class)
public final class GuavaQueueConformanceTest {
    private GuavaQueueConformanceTest() {}

    /** The JUnit 3 suite the vintage engine runs. */
    public static junit.framework.Test suite() {
        final TestSuite suite = new TestSuite("tracked JDK queues, Guava conformance");
        final List<Probe> probes = new ArrayList<>(); // per call: the platform may build the suite more than once
        final Feature<?>[] ordered = {
            CollectionFeature.GENERAL_PURPOSE,
            CollectionFeature.KNOWN_ORDER,
            CollectionFeature.ALLOWS_NULL_QUERIES,
            CollectionSize.ANY
        };
        final Feature<?>[] unordered = {
            CollectionFeature.GENERAL_PURPOSE, CollectionFeature.ALLOWS_NULL_QUERIES, CollectionSize.ANY
        };
        add(
                suite,
                probes,
                "TrackedArrayBlockingQueue",
                ordered,
                id -> new TrackedArrayBlockingQueue<>(100, id),
                (c, id) -> new TrackedArrayBlockingQueue<>(100, false, c, id));
        add(
                suite,
                probes,
                "TrackedArrayBlockingQueue, fair",
                ordered,
                id -> new TrackedArrayBlockingQueue<>(100, true, id),
                (c, id) -> new TrackedArrayBlockingQueue<>(100, true, c, id));
        add(
                suite,
                probes,
                "TrackedLinkedBlockingQueue",
                ordered,
                TrackedLinkedBlockingQueue::new,
                (c, id) -> new TrackedLinkedBlockingQueue<>(c, id));
        add(
                suite,
                probes,
                "TrackedLinkedBlockingDeque",
                ordered,
                TrackedLinkedBlockingDeque::new,
                (c, id) -> new TrackedLinkedBlockingDeque<>(c, id));
        add(
                suite,
                probes,
                "TrackedLinkedTransferQueue",
                ordered,
                TrackedLinkedTransferQueue::new,
                (c, id) -> new TrackedLinkedTransferQueue<>(c, id));
        add(
                suite,
                probes,
                "TrackedConcurrentLinkedQueue",
                ordered,
                TrackedConcurrentLinkedQueue::new,
                (c, id) -> new TrackedConcurrentLinkedQueue<>(c, id));
        add(
                suite,
                probes,
                "TrackedPriorityBlockingQueue",
                unordered,
                TrackedPriorityBlockingQueue::new,
                (c, id) -> new TrackedPriorityBlockingQueue<>(c, id));
        suite.addTest(new RecordingWasActive(probes));
        return suite;
    }

    /** A tracked queue's collection constructor. */
    interface WithElements {
        Queue<String> create(java.util.Collection<String> c, int probeId);
    }

    private static void add(
            TestSuite suite,
            List<Probe> probes,
            String name,
            Feature<?>[] features,
            Function<Integer, ? extends Queue<String>> empty,
            WithElements withElements) {
        final Probe viaConstructor = Counters.queueProbe("guava." + name + ".constructor");
        final Probe viaOffer = Counters.queueProbe("guava." + name + ".offer");
        probes.add(viaConstructor);
        probes.add(viaOffer);
        suite.addTest(QueueTestSuiteBuilder.using(new TestStringQueueGenerator() {
                    @Override
                    protected Queue<String> create(String[] elements) {
                        return withElements.create(MinimalCollection.of(elements), viaConstructor.id());
                    }
                })
                .named(name + " [collection constructor]")
                .withFeatures(features)
                .createTestSuite());
        suite.addTest(QueueTestSuiteBuilder.using(new TestStringQueueGenerator() {
                    @Override
                    protected Queue<String> create(String[] elements) {
                        final Queue<String> q = empty.apply(viaOffer.id());
                        for (String e : elements) {
                            if (!q.offer(e)) {
                                throw new IllegalStateException("refused " + e);
                            }
                        }
                        return q;
                    }
                })
                .named(name + " [offer]")
                .withFeatures(features)
                .createTestSuite());
    }

    /** Runs last: every probe recorded elements going in and none was disabled by a fault in recording. */
    public static final class RecordingWasActive extends TestCase {
        private final List<Probe> probes;

        RecordingWasActive(List<Probe> probes) {
            super("recordingWasActiveAndNeverFailed");
            this.probes = probes;
        }

        public void recordingWasActiveAndNeverFailed() {
            for (Probe p : probes) {
                assertNull(p.name() + " failed: " + p.fault(), p.fault());
                assertFalse(p.name() + " disabled", p.disabled());
                assertTrue(p.name() + " counted nothing in", p.total(Slot.IN) > 0);
                assertTrue(p.name() + " counted nothing out or removed", p.total(Slot.OUT) + p.total(Slot.REMOVED) > 0);
            }
        }

        @Override
        protected void runTest() {
            recordingWasActiveAndNeverFailed();
        }
    }
}
