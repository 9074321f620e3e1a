package io.hotpath.bootstrap.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupFuturesTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private static Probe register() {
        return Probes.register(
                "test.group." + System.nanoTime() + "." + UNIQUE.incrementAndGet(),
                PathKind.BROADCAST,
                Dist.bit(Dist.WAIT));
    }

    private static long waits(Probe p) {
        final long[] buckets = new long[BucketHistogram.LENGTH];
        p.readDist(Dist.WAIT, buckets);
        long n = 0;
        for (int i = 0; i < BucketHistogram.SUM_INDEX; i++) {
            n += buckets[i];
        }
        return n;
    }

    /** A failure cause that lists its failed recipients, as Netty's ChannelGroupException does. */
    private static final class Failed extends Exception implements Iterable<String> {
        private static final long serialVersionUID = 1L;
        private final transient List<String> recipients;

        Failed(List<String> recipients) {
            super("failed: " + recipients, null, false, false);
            this.recipients = recipients;
        }

        @Override
        public Iterator<String> iterator() {
            return recipients.iterator();
        }
    }

    @Test
    void completionRecordsOnTheProbeTheTagNames() {
        final Probe write = register();
        final Probe flush = register();
        final CompletableFuture<Void> a = new CompletableFuture<>();
        final CompletableFuture<Void> b = new CompletableFuture<>();
        GroupFutures.issued(write, GroupFutures.FIRST, System.nanoTime(), a);
        GroupFutures.issued(flush, GroupFutures.SECOND, 0L, b); // not sampled: failures only
        assertThat(GroupFutures.timed(a)).isTrue();
        assertThat(GroupFutures.timed(b)).isFalse();

        a.complete(null);
        GroupFutures.completed(write.id(), flush.id(), a, 0, 0L);
        b.complete(null);
        GroupFutures.completed(write.id(), flush.id(), b, 2, 0L);

        assertThat(write.total(Slot.DROPPED)).isZero();
        assertThat(waits(write)).isEqualTo(1);
        assertThat(flush.total(Slot.DROPPED)).isEqualTo(2);
        assertThat(waits(flush)).isZero();
        // Once only: a second completion call finds no tag.
        GroupFutures.completed(write.id(), flush.id(), a, 5, 0L);
        assertThat(write.total(Slot.DROPPED)).isZero();
        assertThat(waits(write)).isEqualTo(1);
    }

    @Test
    void futureDoneBeforeTheCallerReturnedIsRecordedByTheCaller() {
        final Probe write = register();
        final Probe flush = register();
        final CompletableFuture<Void> ok = CompletableFuture.completedFuture(null);
        final CompletableFuture<Void> failed = new CompletableFuture<>();
        failed.completeExceptionally(new Failed(List.of("a", "b", "c")));
        // The completion side ran first and found no tag.
        GroupFutures.completed(write.id(), flush.id(), ok, 0, 0L);
        GroupFutures.completed(write.id(), flush.id(), failed, 3, 0L);

        GroupFutures.issued(write, GroupFutures.FIRST, System.nanoTime(), ok);
        GroupFutures.issued(write, GroupFutures.FIRST, System.nanoTime(), failed);

        assertThat(write.total(Slot.DROPPED)).isEqualTo(3);
        assertThat(waits(write)).isEqualTo(2);
        assertThat(flush.total(Slot.DROPPED)).isZero();
    }

    @Test
    void notAFutureIsIgnored() {
        final Probe write = register();
        GroupFutures.issued(write, GroupFutures.FIRST, System.nanoTime(), "not a future");
        GroupFutures.issued(write, GroupFutures.FIRST, System.nanoTime(), null);
        assertThat(waits(write)).isZero();
    }

    @Test
    void racingCompletionsAreRecordedExactlyOnce() throws Exception {
        final Probe write = register();
        final Probe flush = register();
        final int n = 5_000; // in flight at once at most: within the table's bound
        final List<CompletableFuture<Void>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(new CompletableFuture<>());
        }
        // The table is bounded and probed linearly: a tag whose neighbourhood is full is not stored, and that
        // broadcast is counted as untracked (GroupFutures#untracked), by design. At this load that happens to a few
        // in a million tags, so the exact total is what was tracked.
        final long untrackedBefore = GroupFutures.untracked();
        final CountDownLatch go = new CountDownLatch(1);
        final Thread completer = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (CompletableFuture<Void> f : futures) {
                // One failed recipient, seen the same way by both sides: the completion advice is told 1, and a
                // caller that finds the future already done counts the failure list of its cause.
                f.completeExceptionally(new OneFailure()); // turn done first, then the completion advice runs
                GroupFutures.completed(write.id(), flush.id(), f, 1, 0L);
            }
        });
        completer.start();
        go.countDown();
        for (CompletableFuture<Void> f : futures) {
            GroupFutures.issued(flush, GroupFutures.SECOND, System.nanoTime(), f);
        }
        completer.join(30_000);
        final long untracked = GroupFutures.untracked() - untrackedBefore;
        assertThat(untracked).as("tags that found no free cell").isLessThanOrEqualTo(n / 100);
        // A race lost by both sides would leave a tag behind; one won by both would count twice.
        assertThat(flush.total(Slot.DROPPED)).isEqualTo(n - untracked);
        assertThat(waits(flush)).isEqualTo(n - untracked);
        assertThat(write.total(Slot.DROPPED)).isZero();
    }

    /** Like Netty's ChannelGroupException: a cause that lists the failed recipients. */
    private static final class OneFailure extends Exception implements Iterable<Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public java.util.Iterator<Object> iterator() {
            return List.<Object>of("recipient").iterator();
        }
    }
}
