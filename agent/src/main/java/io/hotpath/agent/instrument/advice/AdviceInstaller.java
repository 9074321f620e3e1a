package io.hotpath.agent.instrument.advice;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.hotpath.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * The one Byte Buddy {@link AgentBuilder} of the agent: retransformation for classes already loaded, no class format
 * changes (advice is inlined, nothing is added), an explicit ignore list (our own packages, relocated dependencies,
 * other agents), and a listener that logs a failure once per class and never throws.
 */
public final class AdviceInstaller {
    private final AtomicLong transformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** Installs the modules' advice; returns the transformer so it can be removed in tests. */
    public java.lang.instrument.ClassFileTransformer install(
            Instrumentation inst, List<AdviceModule> modules, AdviceSupport support) {
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(new Listener())
                .ignore(nameStartsWith("io.hotpath.agent.")
                        .or(nameStartsWith("io.hotpath.bootstrap."))
                        .or(nameStartsWith("io.hotpath.exporter."))
                        .or(nameStartsWith("io.hotpath.shaded."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("io.opentelemetry.javaagent."))
                        .or(nameStartsWith("co.elastic.apm."))
                        .or(nameStartsWith("datadog."))
                        .or(nameStartsWith("com.intellij.rt."))
                        .or(nameStartsWith("jdk.internal.reflect."))
                        .or(nameStartsWith("java.lang.invoke."))
                        .or(isSynthetic()));
        for (AdviceModule m : modules) {
            try {
                builder = m.extend(builder, support);
            } catch (Throwable t) {
                AgentLog.warn("instrumentation module " + m.name() + " skipped: " + t);
            }
        }
        return builder.installOn(inst);
    }

    public long transformedTypes() {
        return transformed.get();
    }

    public long failedTypes() {
        return failed.get();
    }

    private final class Listener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(
                TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
            transformed.incrementAndGet();
            AgentLog.debug("instrumented " + type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            failed.incrementAndGet();
            AgentLog.once(
                    AgentLog.Level.WARN, "advice:" + typeName, "left class " + typeName + " uninstrumented: " + error);
        }
    }
}
