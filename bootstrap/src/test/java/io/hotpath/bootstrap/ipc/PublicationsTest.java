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
        Publications.refused(op.id(), pub, SendOutcomes.BACK_PRESSURED);
        Publications.refused(op.id(), pub, SendOutcomes.NOT_CONNECTED);
        Publications.refused(op.id(), pub, -99L);
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
        Publications.refused(op.id(), pub, SendOutcomes.CLOSED);
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
            Publications.refused(op.id(), pub, SendOutcomes.BACK_PRESSURED);
            Publications.closing(pub, 64L);
        }
        final Probe stream = Probes.register("test.pub.churn aeron:ipc stream 2", PathKind.IPC, 0);
        assertThat(Publications.unattached()).isEqualTo(unattachedBefore);
        assertThat(stream.total(Slot.DROPPED)).isEqualTo(20_000);
        assertThat(stream.total(Slot.BYTES_OUT)).isEqualTo(20_000L * 64);
        assertThat(op.total(Slot.DROPPED)).isEqualTo(20_000);
    }
}
