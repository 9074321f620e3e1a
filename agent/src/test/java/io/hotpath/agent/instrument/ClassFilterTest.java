package io.hotpath.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassFilterTest {
    /**
     * The union of the two lists there used to be: the construction-site filter's (which alone skipped New Relic,
     * Glowroot, Datadog's com.datadog and the JDK internals) and the advice builder's (which alone skipped the
     * application's own Byte Buddy).
     */
    private static final List<String> UNION = List.of(
            "io.hotpath.agent.HotpathAgent",
            "io.hotpath.bootstrap.Probe",
            "io.hotpath.exporter.Exporter",
            "io.hotpath.shaded.okhttp3.OkHttpClient",
            "net.bytebuddy.ByteBuddy",
            "io.opentelemetry.javaagent.OpenTelemetryAgent",
            "co.elastic.apm.agent.premain.AgentMain",
            "datadog.trace.bootstrap.Agent",
            "com.datadog.profiling.Profiler",
            "com.newrelic.agent.Agent",
            "org.glowroot.agent.MainEntryPoint",
            "com.intellij.rt.debugger.agent.CaptureAgent",
            "java.lang.invoke.MethodHandle",
            "java.util.concurrent.ArrayBlockingQueue",
            "jdk.internal.reflect.Reflection",
            "jdk.internal.misc.Unsafe",
            "sun.misc.Unsafe");

    @Test
    void oneListInBothSpellingsCoversWhatEitherOldListSkipped() {
        final ClassFilter all = new ClassFilter(List.of(), List.of(), true);
        for (String name : UNION) {
            final String internal = name.replace('.', '/');
            assertThat(ClassFilter.neverRewritten(name)).as(name).isTrue();
            assertThat(ClassFilter.neverRewritten(internal)).as(internal).isTrue();
            assertThat(all.accepts(internal, false)).as(internal).isFalse();
            assertThat(all.acceptsDeclared(internal)).as(internal).isFalse();
        }
    }

    @Test
    void theApplicationsOwnCodeAndLibrariesAreNotOnIt() {
        for (String name : List.of(
                "com.acme.Broadcaster",
                "okhttp3.OkHttpClient",
                "io.opentelemetry.sdk.OpenTelemetrySdk",
                "io.netty.channel.AbstractChannel",
                "sun.nio.ch.SocketChannelImpl",
                "datadogish.Thing",
                "net.bytebuddyish.Thing")) {
            assertThat(ClassFilter.neverRewritten(name)).as(name).isFalse();
            assertThat(ClassFilter.neverRewritten(name.replace('.', '/')))
                    .as(name)
                    .isFalse();
        }
    }

    @Test
    void classesOfAnotherAgentsLoaderAreNeverRewritten() {
        assertThat(ClassFilter.agentLoader(new io.opentelemetry.javaagent.bootstrap.StandInAgentClassLoader()))
                .isTrue();
        assertThat(ClassFilter.agentLoader(ClassFilterTest.class.getClassLoader()))
                .isFalse();
        assertThat(ClassFilter.agentLoader(ClassLoader.getPlatformClassLoader()))
                .isFalse();
        assertThat(ClassFilter.agentLoader(new java.net.URLClassLoader(new java.net.URL[0])))
                .isFalse();
        assertThat(ClassFilter.agentLoader(null)).as("the bootstrap loader").isFalse();
    }
}
