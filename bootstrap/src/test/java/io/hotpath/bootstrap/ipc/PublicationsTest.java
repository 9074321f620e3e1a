package io.hotpath.bootstrap.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PublicationsTest {
    private static Probe stream(String channel, int id) {
        return Probes.register("test.pub " + channel + " stream " + id, PathKind.IPC, 0);
    }

    @Test
    void bytesArePositionDeltasAndRefusalsCountOnTheStreamToo() {
        final Probe op = Probes.register("test.pub#offer", PathKind.IPC, 0);
        final Object pub = new Object();
        Publications.created(pub, "test.pub", "aeron:ipc", 1, 128L);
        final Probe stream = stream("aeron:ipc", 1);
        Publications.advanced(pub, 1_128L);
        Publications.advanced(pub, 1_000L); // never backwards
        Publications.advanced(pub, SendOutcomes.CLOSED); // a closed publication's position adds nothing
        Publications.refused(SendOutcomes.BACK_PRESSURED, op.id(), pub);
        Publications.refused(SendOutcomes.NOT_CONNECTED, op.id(), pub);
        Publications.refused(-99L, op.id(), pub);
        Publications.closing(pub, 2_128L);
        Publications.advanced(pub, 9_999L); // forgotten once closed
        assertThat(stream.total(Slot.BYTES_OUT)).isEqualTo(2_000L);
        for (Probe p : new Probe[] {op, stream}) {
            assertThat(p.total(Slot.DROPPED)).isEqualTo(1);
            assertThat(p.total(Slot.NOT_CONNECTED)).isEqualTo(1);
            assertThat(p.total(Slot.ERRORS)).isEqualTo(1);
            assertThat(p.total(Slot.CALLS)).isZero();
        }
        // After close the publication's refusals count on the operation only.
        Publications.refused(SendOutcomes.CLOSED, op.id(), pub);
        assertThat(op.total(Slot.SEND_CLOSED)).isEqualTo(1);
        assertThat(stream.total(Slot.SEND_CLOSED)).isZero();
    }

    @Test
    void churningPublicationsKeepTheirStreamAttribution() {
        final Probe op = Probes.register("test.pub.churn#offer", PathKind.IPC, 0);
        final long unattachedBefore = Publications.unattached();
        // Far more publications than the identity table has cells, each created, used and closed in turn: closing
        // frees the cell, so the last one is still attributed to its stream.
        for (int i = 0; i < 20_000; i++) {
            final Object pub = new Object();
            Publications.created(pub, "test.pub.churn", "aeron:ipc", 2, 0L);
            Publications.refused(SendOutcomes.BACK_PRESSURED, op.id(), pub);
            Publications.closing(pub, 64L);
        }
        final Probe stream = Probes.register("test.pub.churn aeron:ipc stream 2", PathKind.IPC, 0);
        assertThat(Publications.unattached()).isEqualTo(unattachedBefore);
        assertThat(stream.total(Slot.DROPPED)).isEqualTo(20_000);
        assertThat(stream.total(Slot.BYTES_OUT)).isEqualTo(20_000L * 64);
        assertThat(op.total(Slot.DROPPED)).isEqualTo(20_000);
    }

    /** Every refusal outcome of an offer (an unknown code last), in the order of {@link #SLOTS}. */
    private static final long[] CODES = {
        SendOutcomes.NOT_CONNECTED,
        SendOutcomes.BACK_PRESSURED,
        SendOutcomes.ADMIN_ACTION,
        SendOutcomes.CLOSED,
        SendOutcomes.MAX_POSITION_EXCEEDED,
        -6L
    };

    /** The counter each of {@link #CODES} lands on. */
    private static final int[] SLOTS = {
        Slot.NOT_CONNECTED, Slot.DROPPED, Slot.ADMIN_ACTION, Slot.SEND_CLOSED, Slot.MAX_POSITION, Slot.ERRORS
    };

    /**
     * Outcome i was refused i + 1 times, so a count landing on a neighbour's counter shows; a refusal is not a call and
     * disables nothing.
     */
    private static void assertEachOutcomeCounted(Probe... probes) {
        for (Probe p : probes) {
            for (int i = 0; i < SLOTS.length; i++) {
                assertThat(p.total(SLOTS[i]))
                        .as("%s slot %d", p.name(), SLOTS[i])
                        .isEqualTo(i + 1L);
            }
            assertThat(p.total(Slot.CALLS)).isZero();
            assertThat(p.disabled()).isFalse();
        }
    }

    @Test
    void everyRefusalOutcomeCountsExactlyOnItsOwnCounter() {
        final Probe op = Probes.register("test.pub.outcomes#offer", PathKind.IPC, 0);
        final Object pub = new Object();
        Publications.created(pub, "test.pub.outcomes", "aeron:ipc", 3, 0L);
        final Probe stream = Probes.register("test.pub.outcomes aeron:ipc stream 3", PathKind.IPC, 0);
        for (int i = 0; i < CODES.length; i++) {
            for (int k = 0; k <= i; k++) {
                Publications.refused(CODES[i], op.id(), pub);
            }
        }
        assertEachOutcomeCounted(op, stream);
        Publications.closing(pub, 0L);
    }

    @Test
    void refusalsFromManyThreadsAreExact() throws InterruptedException {
        final Probe op = Probes.register("test.pub.threads#offer", PathKind.IPC, 0);
        final Object pub = new Object();
        Publications.created(pub, "test.pub.threads", "aeron:ipc", 4, 0L);
        final Probe stream = Probes.register("test.pub.threads aeron:ipc stream 4", PathKind.IPC, 0);
        final int threads = 4;
        final int each = 50_000;
        final Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    Publications.refused(
                            (i & 1) == 0 ? SendOutcomes.BACK_PRESSURED : SendOutcomes.ADMIN_ACTION, op.id(), pub);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (Probe p : new Probe[] {op, stream}) {
            assertThat(p.total(Slot.DROPPED)).isEqualTo(threads * (long) each / 2);
            assertThat(p.total(Slot.ADMIN_ACTION)).isEqualTo(threads * (long) each / 2);
        }
        Publications.closing(pub, 0L);
    }

    /**
     * The agent's thread reads positions while application threads close publications, with no lock between them:
     * each byte is added once, whichever side reads it first.
     */
    @Test
    void aTickRacingACloseAddsEachByteOnce() throws Exception {
        final int publications = 2_000;
        final long last = 10_000L;
        final Object[] pubs = new Object[publications];
        for (int i = 0; i < publications; i++) {
            pubs[i] = new Object();
            Publications.created(pubs[i], "test.pub.race", "aeron:ipc", 3, 0L);
        }
        final Thread agent = new Thread(() -> {
            for (long pos = 100L; pos <= last; pos += 100L) {
                for (Object pub : pubs) {
                    Publications.advanced(pub, pos);
                }
            }
        });
        agent.start();
        for (Object pub : pubs) {
            Publications.closing(pub, last);
        }
        agent.join(15_000);
        final Probe stream = Probes.register("test.pub.race aeron:ipc stream 3", PathKind.IPC, 0);
        assertThat(stream.total(Slot.BYTES_OUT)).isEqualTo(publications * last);
    }

    /** A publication dropped without a close is forgotten once it is collected: the table stays bounded. */
    @Test
    void aCollectedPublicationIsForgotten() throws Exception {
        final int before = Publications.open();
        Publications.created(new Object(), "test.pub.dropped", "aeron:ipc", 4, 0L);
        assertThat(Publications.open()).isEqualTo(before + 1);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Publications.open() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        // Other tests' dropped publications may be forgotten meanwhile too.
        assertThat(Publications.open()).isLessThanOrEqualTo(before);
    }

    @Test
    void aPublicationWithAFieldCountsEveryOutcomeOnItsStreamWithoutTheTable() {
        final Probe op = Probes.register("test.pub.field#offer", PathKind.IPC, 0);
        final Object pub = new Object();
        final int cell = Publications.attached(op.id(), pub, "test.pub.field", "aeron:ipc", 4, 0L);
        final Probe stream = Probes.register("test.pub.field aeron:ipc stream 4", PathKind.IPC, 0);
        assertThat(cell).isEqualTo(stream.id() + 1);
        for (int i = 0; i < CODES.length; i++) {
            for (int n = 0; n <= i; n++) {
                Publications.refused(CODES[i], op.id(), cell);
            }
        }
        assertEachOutcomeCounted(op, stream);
        // No cell (0): the operation probe only.
        Publications.refused(SendOutcomes.BACK_PRESSURED, op.id(), 0);
        assertThat(op.total(Slot.DROPPED)).isEqualTo(3);
        assertThat(stream.total(Slot.DROPPED)).isEqualTo(2);
        Publications.closing(pub, 640L);
        assertThat(stream.total(Slot.BYTES_OUT)).isEqualTo(640L);
    }

    @Test
    void churningPublicationsWithAFieldNeverTouchTheTable() {
        final Probe op = Probes.register("test.pub.fieldchurn#offer", PathKind.IPC, 0);
        final long unattachedBefore = Publications.unattached();
        final int openBefore = Publications.open();
        // Publications created and closed in turn, and a few thousand left open at once: every one keeps its stream
        // (the field is the publication's own), none is counted as unattached.
        final java.util.List<Object> open = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            final Object pub = new Object();
            final int cell = Publications.attached(op.id(), pub, "test.pub.fieldchurn", "aeron:ipc", 5, 0L);
            Publications.refused(SendOutcomes.BACK_PRESSURED, op.id(), cell);
            if (i % 10 == 0) {
                open.add(pub);
            } else {
                Publications.closing(pub, 64L);
            }
        }
        final Probe stream = Probes.register("test.pub.fieldchurn aeron:ipc stream 5", PathKind.IPC, 0);
        assertThat(Publications.unattached()).isEqualTo(unattachedBefore);
        assertThat(Publications.open()).isEqualTo(openBefore + open.size());
        assertThat(stream.total(Slot.DROPPED)).isEqualTo(20_000);
        assertThat(op.total(Slot.DROPPED)).isEqualTo(20_000);
        assertThat(stream.total(Slot.BYTES_OUT)).isEqualTo(18_000L * 64);
        for (Object pub : open) {
            Publications.closing(pub, 0L);
        }
        assertThat(Publications.open()).isEqualTo(openBefore);
    }
}
