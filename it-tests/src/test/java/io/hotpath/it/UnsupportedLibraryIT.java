package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A library version the agent does not support (here a Netty whose ChannelOutboundBuffer has another addMessage, as in
 * an old or forked Netty) is skipped with one line naming the module and the missing method; the application runs
 * unchanged. The line comes from the agent's thread that prepares the advice after the first use, which the
 * application does not wait for, so the fake library's program stays until that thread has come and gone.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UnsupportedLibraryIT {
    static final String FAKE = """
            package io.netty.channel;

            public class ChannelOutboundBuffer {
                private volatile int unwritable;
                private long bytes;

                public void addMessage(Object msg, int size) {
                    bytes += size;
                }

                public void addFlush() {}

                public boolean remove() {
                    return false;
                }

                public static void main(String[] args) throws InterruptedException {
                    ChannelOutboundBuffer b = new ChannelOutboundBuffer();
                    for (int i = 0; i < 1000; i++) {
                        b.addMessage("m", 10);
                        b.addFlush();
                    }
                    System.out.println("FAKE OK bytes=" + b.bytes);
                    // The first use does not wait for the agent's advice: stay until its thread came and went.
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    long quietSince = System.nanoTime();
                    boolean seen = false;
                    while (System.nanoTime() < deadline) {
                        if (Thread.getAllStackTraces().keySet().stream()
                                .anyMatch(t -> t.getName().equals("hotpath-advice"))) {
                            seen = true;
                            quietSince = System.nanoTime();
                        } else if (seen && System.nanoTime() - quietSince > 500_000_000L) {
                            return;
                        }
                        Thread.sleep(5);
                    }
                    System.out.println("FAKE advice thread seen=" + seen);
                }
            }
            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void unsupportedNettyIsSkippedCleanly(Path jdk) throws Exception {
        final Path dir = Launch.workFile("fake-netty");
        final Path src = dir.resolve("src/io/netty/channel/ChannelOutboundBuffer.java");
        final Path classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, FAKE);
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString()))
                .isZero();

        final Path dump = Launch.workFile("fake-netty-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .mainClass("io.netty.channel.ChannelOutboundBuffer", List.of(classes))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("FAKE OK bytes=10000").doesNotContain("FAKE advice thread seen");
        assertThat(r.agentLines().stream().filter(l -> l.contains("skipped")))
                .as(r.describe())
                .containsExactly("[hotpath] INFO instrumentation module netty skipped for"
                        + " io.netty.channel.ChannelOutboundBuffer: unsupported version, it has no method"
                        + " addMessage(java.lang.Object,int,io.netty.channel.ChannelPromise)");
        assertThat(r.agentLines()).noneMatch(l -> l.contains("left class") || l.contains("ERROR"));
        assertThat(Dump.read(dump).names()).noneMatch(n -> n.startsWith("netty."));
    }
}
