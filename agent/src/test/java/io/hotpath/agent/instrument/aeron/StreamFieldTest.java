package io.hotpath.agent.instrument.aeron;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.SendOutcomes;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The field a publication class gets when it is defined ({@link StreamField}), and the refusal advice that reads it:
 * counts by outcome on the operation and the stream, a success reads nothing, and a class already loaded without the
 * field is left to the identity-table advice.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamFieldTest {
    /** Stands in for {@code ConcurrentPublication}: an offer of four arguments returning what it is told to. */
    public static class Publication {
        public long next;

        public long offer(Object buffer, int offset, int length, Object supplier) {
            return next;
        }
    }

    @Test
    void aClassDefinedNowGetsTheFieldAndItsRefusalsCountOnTheStream() throws Exception {
        final Probe op = Probes.register("test.field#offer", PathKind.IPC, 0);
        final Probe stream = Probes.register("test.field aeron:ipc stream 9", PathKind.IPC, 0);
        final Class<?> type = new ByteBuddy()
                .redefine(Publication.class)
                .visit(new StreamField.Adder())
                .visit(Advice.withCustomMapping()
                        .bind(ProbeId.class, op.id())
                        .bind(StreamField.Value.class, new StreamField.Mapping())
                        .to(AeronAdvice.RefusedOnField.class)
                        .on(named("offer")))
                .make()
                .load(new ClassLoader(getClass().getClassLoader()) {}, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
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
        final Field next = type.getField("next");
        final Method offer = type.getMethod("offer", Object.class, int.class, int.class, Object.class);
        final long[] results = {
            64L,
            0L,
            SendOutcomes.BACK_PRESSURED,
            SendOutcomes.BACK_PRESSURED,
            SendOutcomes.NOT_CONNECTED,
            SendOutcomes.ADMIN_ACTION,
            SendOutcomes.CLOSED,
            SendOutcomes.MAX_POSITION_EXCEEDED,
            -42L
        };
        for (long r : results) {
            next.setLong(pub, r);
            assertThat((long) offer.invoke(pub, null, 0, 64, null)).isEqualTo(r);
        }
        for (Probe p : new Probe[] {op, stream}) {
            assertThat(p.total(Slot.DROPPED)).isEqualTo(2);
            assertThat(p.total(Slot.NOT_CONNECTED)).isEqualTo(1);
            assertThat(p.total(Slot.ADMIN_ACTION)).isEqualTo(1);
            assertThat(p.total(Slot.SEND_CLOSED)).isEqualTo(1);
            assertThat(p.total(Slot.MAX_POSITION)).isEqualTo(1);
            assertThat(p.total(Slot.ERRORS)).isEqualTo(1);
            assertThat(p.total(Slot.CALLS)).isZero();
        }
        // A publication that was not given a stream (field 0) counts on the operation only.
        final Object other = type.getConstructor().newInstance();
        next.setLong(other, SendOutcomes.BACK_PRESSURED);
        offer.invoke(other, null, 0, 64, null);
        assertThat(op.total(Slot.DROPPED)).isEqualTo(3);
        assertThat(stream.total(Slot.DROPPED)).isEqualTo(2);
    }

    @Test
    void onlyAClassBeingDefinedOrDefinedWithTheFieldMayHaveIt() {
        assertThat(StreamField.addable(null)).as("being defined").isTrue();
        assertThat(StreamField.addable(Publication.class))
                .as("loaded without the field")
                .isFalse();
    }
}
