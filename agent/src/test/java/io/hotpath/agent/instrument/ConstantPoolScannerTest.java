package io.hotpath.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConstantPoolScannerTest {
    private static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getClassLoader().getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void findsMentionedTypesAndRejectsClassesWithout() throws IOException {
        final Set<String> names = Set.of("java/util/concurrent/ArrayBlockingQueue", "java/util/concurrent/Executors");
        assertThat(ConstantPoolScanner.mentionsAny(
                        bytesOf(io.hotpath.agent.instrument.jdk.SiteSamples.class), names, "java/util/concurrent/"))
                .isTrue();
        assertThat(ConstantPoolScanner.mentionsAny(bytesOf(ClassFilter.class), names, "java/util/concurrent/"))
                .isFalse();
        assertThat(ConstantPoolScanner.mentionsAny(new byte[] {1, 2, 3}, names, "java/util/concurrent/"))
                .as("unreadable input means: parse it properly")
                .isTrue();
    }

    @Test
    void classFilterHonoursNeverJdkIncludeAndExclude() {
        final ClassFilter all = new ClassFilter(List.of(), List.of("com.acme.internal.*"), false);
        assertThat(all.accepts("com/acme/Broadcaster", false)).isTrue();
        assertThat(all.accepts("com/acme/internal/Pool", false)).isFalse();
        assertThat(all.accepts("io/hotpath/agent/X", false)).isFalse();
        assertThat(all.accepts("java/util/logging/Logger", true)).isFalse();
        assertThat(all.accepts("com/acme/Foo$$Lambda$12", false)).isFalse();
        final ClassFilter only = new ClassFilter(List.of("com.acme.*"), List.of(), true);
        assertThat(only.accepts("org/other/Thing", false)).isFalse();
        assertThat(only.accepts("com/acme/Thing", false)).isTrue();
        assertThat(only.accepts("java/util/logging/Logger", true)).isTrue();
        assertThat(only.accepts("java/util/concurrent/Executors", true)).isFalse();
        assertThat(only.accepts("java/lang/Thread", true)).isFalse();
    }
}
