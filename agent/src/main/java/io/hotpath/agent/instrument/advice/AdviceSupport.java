package io.hotpath.agent.instrument.advice;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.instrument.ProbeNames;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/** What modules share: the agent's class loader (where advice classes live), the class filter and probe names. */
public record AdviceSupport(ClassLoader agentLoader, ClassFilter filter, ProbeNames names) {
    /**
     * A transformer applying advice located through the agent's class loader, with {@link ProbeId} bound by
     * {@code ids}. Advice is inlined, so the target class never references the advice class itself.
     */
    public AgentBuilder.Transformer.ForAdvice advice(ProbeIdMapping ids) {
        return new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping().bind(ProbeId.class, ids))
                .include(agentLoader)
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
    }

    /** {@link #advice(ProbeIdMapping)} with one more parameter annotation of the module's own bound to {@code mapping}. */
    public <A extends java.lang.annotation.Annotation> AgentBuilder.Transformer.ForAdvice advice(
            ProbeIdMapping ids, Class<A> annotation, Advice.OffsetMapping mapping) {
        return new AgentBuilder.Transformer.ForAdvice(
                        Advice.withCustomMapping().bind(ProbeId.class, ids).bind(annotation, mapping))
                .include(agentLoader)
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
    }
}
