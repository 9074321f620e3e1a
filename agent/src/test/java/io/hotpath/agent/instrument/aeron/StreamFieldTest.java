package io.hotpath.agent.instrument.aeron;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.Publications;
import io.hotpath.bootstrap.ipc.SendOutcomes;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The field a publication class gets when it is defined ({@link StreamField}), and the refusal sites that read it
 * ({@link RefusalSites}): each refusal counts by outcome on the operation and the stream, a success counts nothing,
 * and a class already loaded without the field finds its stream in the identity table.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamFieldTest {
    /**
     * Stands in for {@code ConcurrentPublication}: an offer shaped like Aeron's, refusing where Aeron does (closed,
     * a term rotation in progress, {@code backPressureStatus}), returning the new position otherwise.
     */
    public static class Publication {
        public volatile boolean isClosed;
        public boolean rotating;
        public boolean connected = true;
        public long limit = 256;
        public long max = 1L << 20;
        public long position;

        public long offer(Object buffer, int offset, int length, Object supplier) {
            long newPosition = -4L;
            if (!isClosed) {
                if (rotating) {
                    return -3L;
                }
                if (position < limit) {
                    position += length;
                    newPosition = position;
                } else {
                    newPosition = backPressureStatus(position, length);
                }
            }
            return newPosition;
        }

        final long backPressureStatus(long currentPosition, int messageLength) {
            if (currentPosition + messageLength >= max) {
                return -5L;
            }
            return connected ? -2L : -1L;
        }
    }

    private static Class<?> instrument(Probe op, boolean field) {
        final ProbeIdMapping ids = new ProbeIdMapping((type, method) -> op.name(), PathKind.IPC, 0, p -> {});
        var builder = new ByteBuddy().redefine(Publication.class);
        if (field) {
            builder = builder.visit(new StreamField.Adder());
        }
        return builder.visit(RefusalSites.of(named("offer"), named("tryClaim"), ids, ids, field))
                .make()
                .load(
                        new ClassLoader(StreamFieldTest.class.getClassLoader()) {},
                        ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
    }

    /** Offers on {@code pub} through each refusal, and successes between; returns the successes. */
    private static int offerThroughEveryRefusal(Class<?> type, Object pub) throws Exception {
        final Method offer = type.getMethod("offer", Object.class, int.class, int.class, Object.class);
        int sent = 0;
        for (int i = 0; i < 4; i++) {
            sent += (long) offer.invoke(pub, null, 0, 64, null) > 0 ? 1 : 0;
        }
        assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(SendOutcomes.BACK_PRESSURED);
        assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(SendOutcomes.BACK_PRESSURED);
        type.getField("connected").setBoolean(pub, false);
        assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(SendOutcomes.NOT_CONNECTED);
        type.getField("max").setLong(pub, 0L);
        assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(SendOutcomes.MAX_POSITION_EXCEEDED);
        type.getField("limit").setLong(pub, Long.MAX_VALUE);
        sent += (long) offer.invoke(pub, null, 0, 64, null) > 0 ? 1 : 0;
        type.getField("rotating").setBoolean(pub, true);
        assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(SendOutcomes.ADMIN_ACTION);
        type.getField("isClosed").setBoolean(pub, true);
        assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(SendOutcomes.CLOSED);
        assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(SendOutcomes.CLOSED);
        return sent;
    }

    private static void assertRefusals(Probe p) {
        assertThat(p.total(Slot.DROPPED)).isEqualTo(2);
        assertThat(p.total(Slot.NOT_CONNECTED)).isEqualTo(1);
        assertThat(p.total(Slot.ADMIN_ACTION)).isEqualTo(1);
        assertThat(p.total(Slot.SEND_CLOSED)).isEqualTo(2);
        assertThat(p.total(Slot.MAX_POSITION)).isEqualTo(1);
        assertThat(p.total(Slot.ERRORS)).isZero();
        assertThat(p.total(Slot.CALLS)).isZero();
    }

    @Test
    void aClassDefinedNowGetsTheFieldAndItsRefusalsCountOnTheStream() throws Exception {
        final Probe op = Probes.register("test.field#offer", PathKind.IPC, 0);
        final Probe stream = Probes.register("test.field aeron:ipc stream 9", PathKind.IPC, 0);
        final Class<?> type = instrument(op, true);
        assertThat(type).isNotSameAs(Publication.class);
        final Field field = type.getDeclaredField(StreamField.NAME);
        assertThat(field.getType()).isEqualTo(int.class);
        assertThat(field.isSynthetic()).isTrue();
        assertThat(Modifier.isPrivate(field.getModifiers())).isTrue();
        assertThat(StreamField.addable(type))
                .as("retransforming a class with the field adds it again")
                .isTrue();

        final Object pub = type.getConstructor().newInstance();
        field.setAccessible(true);
        field.setInt(pub, stream.id() + 1);
        assertThat(offerThroughEveryRefusal(type, pub)).isEqualTo(5);
        assertRefusals(op);
        assertRefusals(stream);
        // A publication that was not given a stream (field 0) counts on the operation only.
        final Object other = type.getConstructor().newInstance();
        type.getField("limit").setLong(other, 0L);
        type.getMethod("offer", Object.class, int.class, int.class, Object.class)
                .invoke(other, null, 0, 64, null);
        assertThat(op.total(Slot.DROPPED)).isEqualTo(3);
        assertThat(stream.total(Slot.DROPPED)).isEqualTo(2);
    }

    @Test
    void aClassWithoutTheFieldFindsItsStreamInTheIdentityTable() throws Exception {
        final Probe op = Probes.register("test.table#offer", PathKind.IPC, 0);
        final Class<?> type = instrument(op, false);
        assertThatThrownBy(() -> type.getDeclaredField(StreamField.NAME)).isInstanceOf(NoSuchFieldException.class);
        final Object pub = type.getConstructor().newInstance();
        Publications.created(pub, "test.table", "aeron:ipc", 11, 0L);
        try {
            assertThat(offerThroughEveryRefusal(type, pub)).isEqualTo(5);
            assertRefusals(op);
            assertRefusals(Probes.register(Publications.streamOf(pub), PathKind.IPC, 0));
        } finally {
            Publications.closing(pub, 0L);
        }
    }

    @Test
    void onlyAClassBeingDefinedOrDefinedWithTheFieldMayHaveIt() {
        assertThat(StreamField.addable(null)).as("being defined").isTrue();
        assertThat(StreamField.addable(Publication.class))
                .as("loaded without the field")
                .isFalse();
    }
}
