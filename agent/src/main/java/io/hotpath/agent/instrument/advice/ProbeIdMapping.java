package io.hotpath.agent.instrument.advice;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;

/**
 * Resolves {@link ProbeId} to an int constant: the id of the probe registered, at instrumentation time, under the
 * name the module gives the instrumented method. Registration is idempotent by name, so enter and exit advice of one
 * method, or a class retransformed twice, share one probe.
 */
public final class ProbeIdMapping implements Advice.OffsetMapping {
    private final BiFunction<TypeDescription, MethodDescription, String> namer;
    private final PathKind kind;
    private final int dists;
    private final Consumer<Probe> onRegistered;
    private final int module;

    /**
     * @param namer the probe name for an instrumented method, already renamed
     * @param onRegistered told of each probe as it is resolved (for match accounting); may be a no-op
     */
    public ProbeIdMapping(
            BiFunction<TypeDescription, MethodDescription, String> namer,
            PathKind kind,
            int dists,
            Consumer<Probe> onRegistered) {
        this(namer, kind, dists, io.hotpath.bootstrap.ProbeModules.NONE, onRegistered);
    }

    /**
     * @param module the {@link io.hotpath.bootstrap.ProbeModules} module each probe joins as it is registered
     */
    public ProbeIdMapping(
            BiFunction<TypeDescription, MethodDescription, String> namer,
            PathKind kind,
            int dists,
            int module,
            Consumer<Probe> onRegistered) {
        this.namer = namer;
        this.kind = kind;
        this.dists = dists;
        this.module = module;
        this.onRegistered = onRegistered;
    }

    @Override
    public Target resolve(
            TypeDescription instrumentedType,
            MethodDescription instrumentedMethod,
            Assigner assigner,
            Advice.ArgumentHandler argumentHandler,
            Sort sort) {
        return new Target.ForStackManipulation(IntegerConstant.forValue(
                probe(instrumentedType, instrumentedMethod).id()));
    }

    /**
     * The probe of an instrumented method, registered now if it is not yet: for bytecode a module writes itself
     * rather than through advice, which takes the id as a constant all the same.
     */
    public Probe probe(TypeDescription instrumentedType, MethodDescription instrumentedMethod) {
        return ProbeRegistration.register(
                namer.apply(instrumentedType, instrumentedMethod), kind, dists, module, onRegistered);
    }
}
