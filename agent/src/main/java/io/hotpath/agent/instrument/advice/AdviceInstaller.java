package io.hotpath.agent.instrument.advice;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * The agent's Byte Buddy {@link AgentBuilder} setup: no class format changes (advice is inlined, nothing is added), an
 * explicit ignore list ({@link ClassFilter#neverRewritten}, the same one the construction-site rewriting uses: our own
 * packages, relocated dependencies, other agents), and a listener that logs a failure once per class and never throws.
 * Classes already loaded are retransformed: by the builder for pattern-matched modules, by {@link DeferredAdvice} for modules with fixed targets.
 */
public final class AdviceInstaller {
    /**
     * Installs the modules' advice: modules with fixed {@link AdviceModule#targetTypes() targets} behind one
     * {@link DeferredAdvice} gate, which builds their Byte Buddy transformer only when a target is about to be defined;
     * the others (declared method probes, matched by patterns) at once, retransforming what is already loaded.
     */
    public void install(Instrumentation inst, List<AdviceModule> modules, AdviceSupport support) {
        final List<AdviceModule> eager = new ArrayList<>();
        final List<AdviceModule> deferred = new ArrayList<>();
        final Set<String> targets = new HashSet<>();
        final Set<String> hints = new LinkedHashSet<>();
        final Map<String, String> sites = new HashMap<>();
        final Map<String, AdviceModule> siteOwners = new HashMap<>();
        for (AdviceModule m : modules) {
            if (m.targetTypes().isEmpty()) {
                eager.add(m);
            } else {
                deferred.add(m);
                m.registerProbes(support);
                m.targetTypes().forEach(t -> targets.add(t.replace('.', '/')));
                hints.addAll(m.libraryPrefixes());
                m.setUpSites().forEach((type, method) -> {
                    sites.put(type.replace('.', '/'), method);
                    siteOwners.put(type, m);
                });
            }
        }
        if (!eager.isEmpty()) {
            builder(eager, support, true).installOn(inst);
        }
        if (!deferred.isEmpty()) {
            new DeferredAdvice(
                            inst,
                            targets,
                            List.copyOf(hints),
                            () -> builder(deferred, support, false).makeRaw(),
                            sites,
                            (type, instance) -> siteOwners.get(type).adopt(type, instance))
                    .install();
        }
    }

    private AgentBuilder builder(List<AdviceModule> modules, AdviceSupport support, boolean retransformLoaded) {
        AgentBuilder builder = new AgentBuilder.Default().disableClassFormatChanges();
        if (retransformLoaded) {
            builder = builder.with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE);
        }
        builder = builder.with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(new Listener())
                .ignore(
                        new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
                            @Override
                            public boolean matches(TypeDescription type) {
                                return ClassFilter.neverRewritten(type.getName());
                            }
                        }.or(isSynthetic()))
                .or(any(), ClassFilter::agentLoader);
        for (AdviceModule m : modules) {
            try {
                builder = m.extend(builder, support);
            } catch (Throwable t) {
                AgentLog.warn("instrumentation module " + m.name() + " skipped: " + t);
            }
        }
        return builder;
    }

    private static final class Listener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(
                TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
            AgentLog.debug("instrumented " + type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            AgentLog.once(
                    AgentLog.Level.WARN, "advice:" + typeName, "left class " + typeName + " uninstrumented: " + error);
        }
    }
}
