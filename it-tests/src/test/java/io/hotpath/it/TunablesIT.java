package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.TunablesApp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Declared tunables (hotpath.tunables): reads of a static field, an instance field and a final instance field are
 * redirected, every instance sees a change at once, a compile-time constant is rejected with one clear line, and
 * hotpath.optimizer.mode=off installs nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TunablesIT {
    private static final String APP = "io.hotpath.it.apps.TunablesApp";
    private static final String DECLARED = "sb=" + APP + "#staticBatch:batch-size[1..512];"
            + "ib=" + APP + "$Broadcaster#batchSize:batch-size[1..512];"
            + "fb=" + APP + "$Broadcaster#finalBatch:batch-size[1..512];"
            + "zip=" + APP + "$Broadcaster#compress:compression;"
            + "c=" + APP + "#CONSTANT:generic[1..10]";
    /** What the application sets through the agent's JMX operation ({@code zip} is a boolean: 1 is true). */
    private static final String SETS = "sb=64;ib=128;fb=256;zip=1";

    /** The test application with the declared tunables, setting them over JMX, in optimizer {@code mode}. */
    private static Launch.Result runApp(Path jdk, String mode, String runMillis) throws Exception {
        return Launch.on(jdk)
                .prop("hotpath.optimizer.mode", mode)
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.tunables", DECLARED)
                .testMain(TunablesApp.class, List.of(), runMillis, SETS)
                .run();
    }

    private static String line(Launch.Result r, String prefix) {
        return r.stdout()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " line\n" + r.describe()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void staticInstanceAndFinalFieldsAreRewritten(Path jdk) throws Exception {
        final Launch.Result r = runApp(jdk, "apply", "10000");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).doesNotContain("SET ");
        // Before the first change every instance reads its own value.
        assertThat(line(r, "BEFORE"))
                .as(r.describe())
                .isEqualTo("BEFORE static=5 a.batch=3 b.batch=4 a.final=30 b.final=40 zip=false constant=7");
        // After it, every instance reads the tunable's value, final fields included.
        assertThat(line(r, "AFTER"))
                .as(r.describe())
                .isEqualTo("AFTER static=64 a.batch=128 b.batch=128 a.final=256 b.final=256 zip=true constant=7");
        assertThat(r.agentLines())
                .as(r.describe())
                .anyMatch(l -> l.contains("tunable sb: " + APP + "#staticBatch (static int, batch-size [1..512])"))
                .anyMatch(l -> l.contains("tunable ib: " + APP + "$Broadcaster#batchSize (instance int"))
                .anyMatch(l -> l.contains("tunable fb: " + APP + "$Broadcaster#finalBatch (instance final int"))
                .anyMatch(l -> l.contains("optimizer change ib 3 -> 128 (jmx): set by jmx"))
                .anyMatch(l -> l.contains("optimizer change fb 30 -> 256 (jmx)"))
                .anyMatch(l -> l.contains("optimizer change zip 0 -> 1 (jmx)"))
                .anyMatch(l -> l.contains("instrumenting: ") && l.contains("tunables"));
        // The compile-time constant: one WARN line naming the field and saying why.
        assertThat(r.agentLines())
                .as(r.describe())
                .filteredOn(l -> l.contains("c=" + APP + "#CONSTANT"))
                .singleElement()
                .asString()
                .startsWith("[hotpath] WARN hotpath.tunables entry c=" + APP + "#CONSTANT rejected: " + APP
                        + ".CONSTANT is a compile-time constant (static final int CONSTANT = 7)");
        assertThat(r.stderr()).as(r.describe()).doesNotContain("Exception");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void offModeInstallsNothing(Path jdk) throws Exception {
        // Long enough for the JMX bean to appear: an operator's change is refused too, with the reason.
        final Launch.Result r = runApp(jdk, "off", "4000");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(line(r, "SET sb")).as(r.describe()).contains("optimizer is off");
        assertThat(line(r, "AFTER"))
                .as(r.describe())
                .isEqualTo("AFTER static=5 a.batch=3 b.batch=4 a.final=30 b.final=40 zip=false constant=7");
        assertThat(line(r, "THREADS")).as(r.describe()).isEqualTo("THREADS []");
        assertThat(r.agentLines())
                .as(r.describe())
                .anyMatch(l -> l.contains("optimizer off (hotpath.optimizer.mode=off): hotpath.tunables not applied"))
                .noneMatch(l -> l.contains("tunable "))
                .noneMatch(l -> l.contains("rejected"))
                .noneMatch(l -> l.contains("optimizer change"))
                .noneMatch(l -> l.contains("instrumenting: ") && l.contains("tunables"));
    }
}
