package io.hotpath.agent.runtime;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the installed transformers to classes loaded before the agent started (dynamic attach, or JDK classes
 * with hotpath.include.jdk). Only method bodies change, which retransformation allows. The transformers skip
 * classes without sites cheaply, so offering many classes costs little; a class that cannot be retransformed is
 * skipped alone.
 */
final class Retransformer {
    private static final int BATCH = 200;

    private Retransformer() {}

    static void retransformLoaded(Instrumentation inst, ClassFilter filter) {
        final List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) {
                continue;
            }
            if (filter.accepts(c.getName().replace('.', '/'), c.getClassLoader() == null)
                    && !ClassFilter.agentLoader(c.getClassLoader())) {
                candidates.add(c);
            }
        }
        int failed = 0;
        for (int i = 0; i < candidates.size(); i += BATCH) {
            final List<Class<?>> batch = candidates.subList(i, Math.min(candidates.size(), i + BATCH));
            try {
                inst.retransformClasses(batch.toArray(new Class<?>[0]));
            } catch (Throwable batchFailure) {
                for (Class<?> c : batch) {
                    try {
                        inst.retransformClasses(c);
                    } catch (Throwable t) {
                        failed++;
                        AgentLog.debug("cannot retransform " + c.getName() + ": " + t);
                    }
                }
            }
        }
        AgentLog.debug("offered " + candidates.size() + " loaded classes for retransformation; " + failed
                + " could not be retransformed");
    }
}
