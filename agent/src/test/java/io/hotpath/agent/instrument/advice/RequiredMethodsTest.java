package io.hotpath.agent.instrument.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

class RequiredMethodsTest {
    static class Target {
        void write(ByteBuffer[] srcs, int offset, int length) {}

        int read(byte[] b, int off, int len) {
            return 0;
        }
    }

    @Test
    void matchesWhenEveryMethodIsDeclared() {
        assertThat(RequiredMethods.of("test", "write([Ljava.nio.ByteBuffer;,int,int)", "read([B,int,int)")
                        .matches(TypeDescription.ForLoadedType.of(Target.class)))
                .isTrue();
    }

    @Test
    void refusesATypeMissingAMethodOrWithOtherParameters() {
        final TypeDescription target = TypeDescription.ForLoadedType.of(Target.class);
        assertThat(RequiredMethods.of("test", "write(java.nio.ByteBuffer)").matches(target))
                .isFalse();
        assertThat(RequiredMethods.of("test", "flush()").matches(target)).isFalse();
    }
}
