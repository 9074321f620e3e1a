package io.hotpath.agent.instrument.method;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.hotpath.agent.instrument.advice.AdviceModule;
import io.hotpath.agent.instrument.advice.AdviceSupport;
import io.hotpath.agent.instrument.advice.CallAdvice;
import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import java.util.Collection;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Methods the user names with {@code hotpath.probes}: calls, errors and latency for each; for kinds batch and
 * broadcast also the size of the first argument when it is a collection or an array. Each method gets a probe named
 * {@code <class>#<method>} (overloads share it).
 */
public final class MethodProbesModule implements AdviceModule {
    private final List<MethodProbeSpec> specs;

    public MethodProbesModule(List<MethodProbeSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    @Override
    public String name() {
        return "probes";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
        AgentBuilder b = builder;
        for (MethodProbeSpec spec : specs) {
            final boolean sized = spec.kind() == PathKind.BATCH || spec.kind() == PathKind.BROADCAST;
            final int dists = Dist.bit(Dist.LATENCY) | (sized ? Dist.bit(Dist.SIZE) : 0);
            final ProbeIdMapping ids = new ProbeIdMapping(
                    (type, method) -> support.names().apply(type.getName() + "#" + method.getName()),
                    spec.kind(),
                    dists,
                    probe -> spec.matched());
            final ElementMatcher.Junction<MethodDescription> methods = isMethod()
                    .and(not(isAbstract()))
                    .and(not(isNative()))
                    .and(not(isBridge()))
                    .and(m -> spec.matchesMethod(m.getName()));
            AgentBuilder.Transformer.ForAdvice advice = support.advice(ids);
            if (sized) {
                advice = advice.advice(
                                methods.and(takesArgument(0, isSubTypeOf(Collection.class))),
                                MethodAdvice.SizedByCollection.class.getName(),
                                CallAdvice.End.class.getName())
                        .advice(
                                methods.and(m -> m.getParameters().size() > 0
                                        && m.getParameters().get(0).getType().isArray()),
                                MethodAdvice.SizedByArray.class.getName(),
                                CallAdvice.End.class.getName())
                        .advice(
                                methods.and(not(takesArgument(0, isSubTypeOf(Collection.class))))
                                        .and(m -> m.getParameters().isEmpty()
                                                || !m.getParameters()
                                                        .get(0)
                                                        .getType()
                                                        .isArray()),
                                CallAdvice.Begin.class.getName(),
                                CallAdvice.End.class.getName());
            } else {
                advice = advice.advice(methods, CallAdvice.Begin.class.getName(), CallAdvice.End.class.getName());
            }
            b = b.type(typeMatcher(spec, support)).transform(advice);
        }
        return b;
    }

    private static ElementMatcher.Junction<TypeDescription> typeMatcher(MethodProbeSpec spec, AdviceSupport support) {
        return not(isInterface())
                .and(t -> spec.matchesClass(t.getName())
                        && support.filter().acceptsDeclared(t.getName().replace('.', '/')));
    }

    @Override
    public void reportUnmatched() {
        for (MethodProbeSpec spec : specs) {
            if (spec.matchedMethods() == 0) {
                AgentLog.once(
                        AgentLog.Level.WARN,
                        "probes-unmatched:" + spec.text(),
                        "hotpath.probes entry '"
                                + spec.text()
                                + "' has matched no method so far (check the class and method names; a class"
                                + " that is loaded later is still instrumented when it loads)");
            }
        }
    }
}
