package io.hotpath.agent.instrument.advice;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.ProbeModules;
import io.hotpath.bootstrap.Probes;
import java.util.function.Consumer;

/**
 * Registers an advice probe: the one step shared by {@link ProbeIdMapping}, as a method is instrumented, and by a
 * module that registers its probes at start ({@link AdviceModule#registerProbes}). Loads nothing of Byte Buddy, so the
 * start does not pull in the classes the deferred advice build would load.
 */
public final class ProbeRegistration {
    private ProbeRegistration() {}

    /**
     * The probe {@code name}, registered now if it is not yet (idempotent by name), a member of {@code module}, with
     * {@code onRegistered} told of it.
     */
    public static Probe register(String name, PathKind kind, int dists, int module, Consumer<Probe> onRegistered) {
        final Probe probe = Probes.register(name, kind, dists);
        // Before any code holding the id runs: a probe of a module turned off is born off.
        ProbeModules.join(probe, module);
        onRegistered.accept(probe);
        return probe;
    }
}
