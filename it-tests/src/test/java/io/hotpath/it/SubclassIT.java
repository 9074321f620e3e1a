package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.SubclassPools;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A class that extends a JDK pool or queue is measured under its own name, exactly, and its overrides still run:
 * {@code execute} and {@code afterExecute} overrides that call {@code super}, and a {@code beforeExecute} override that
 * does not (the agent adds the call to the tracked class's, whose JDK hook does nothing).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubclassIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void subclassesAreCountedAndTheirOverridesRun(Path jdk) throws Exception {
        final Path dump = Launch.workFile(Jdks.label(jdk) + "-subclass.json");
        final int n = 20_000;
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .testMain(SubclassPools.class, List.of(), String.valueOf(n))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout())
                .as(r.describe())
                .contains("TRUTH executed=" + n + " before=" + n + " after=" + n + " completed=" + n + " offered=" + n
                        + " polled=" + n)
                .contains("SUPER pool=io.hotpath.bootstrap.jdk.TrackedThreadPoolExecutor"
                        + " inbox=io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue"
                        + " generic=java.util.concurrent.ArrayBlockingQueue<java.lang.String>");

        final Dump d = Dump.read(dump);
        final Dump.Probe pool = d.probe("pool", x -> x.equals(SubclassPools.CountingPool.class.getName()));
        assertThat(pool.kind()).isEqualTo("executor");
        assertThat(pool.counter("in")).isEqualTo(n);
        assertThat(pool.counter("started")).isEqualTo(n);
        assertThat(pool.counter("out")).isEqualTo(n);
        assertThat(pool.gauge("depth")).isZero();

        final Dump.Probe inbox = d.probe("queue", x -> x.equals(SubclassPools.Inbox.class.getName()));
        assertThat(inbox.kind()).isEqualTo("queue");
        assertThat(inbox.counter("in")).isEqualTo(n);
        assertThat(inbox.counter("out")).isEqualTo(n);
        assertThat(inbox.gauge("depth")).isZero();
    }
}
