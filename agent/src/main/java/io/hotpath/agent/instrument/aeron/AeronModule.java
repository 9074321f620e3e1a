package io.hotpath.agent.instrument.aeron;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.hotpath.agent.analyze.Laggards;
import io.hotpath.agent.instrument.advice.AdviceModule;
import io.hotpath.agent.instrument.advice.AdviceSupport;
import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import io.hotpath.agent.instrument.advice.RequiredMethods;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.ipc.Publications;
import io.hotpath.bootstrap.snapshot.Gauge;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Aeron 1.x (checked against 1.51). What a successful offer does, Aeron counts itself (the publication's position),
 * so the agent reads it on its own thread instead of adding work to the offer. Probes:
 *
 * <ul>
 *   <li>{@code aeron.Publication#offer} (one buffer, two buffers, or a {@code DirectBufferVector[]}) and
 *       {@code aeron.Publication#tryClaim}: refused calls by outcome ({@code dropped} back-pressured,
 *       {@code not_connected}, {@code admin_action}, {@code send_closed}, {@code max_position}), counted on the
 *       application thread where Aeron decides the refusal ({@link RefusalSites}), so a successful offer runs Aeron's
 *       bytecode alone; the offer probe also tracks the live publications
 *       ({@code instances}) whose positions the agent reads every tick;
 *   <li>{@code aeron.publication <channel> stream <id>}: the same refusals per stream, and {@code bytes_out}, the
 *       bytes the stream's position advanced (Aeron's framed length: header and alignment included), read from the
 *       publication on the agent's thread and when it closes; bounded by {@code hotpath.ipc.endpoints.max}; gauge
 *       {@code lag}, how far the stream's slowest subscriber is behind, read from the counters of the client that
 *       added the publication ({@link LagReader}; publications added through {@code Aeron.addPublication} or
 *       {@code addExclusivePublication});
 *   <li>{@code aeron.Subscription#poll}: polls that returned fragments ({@code batches}), fragments ({@code out}),
 *       fragments per poll ({@code size}, sampled), polls whose handler threw ({@code errors}); an empty poll records
 *       nothing.
 * </ul>
 *
 * The concrete {@code ConcurrentPublication} and {@code ExclusivePublication} are instrumented (the abstract
 * {@code Publication} only forwards to them, except {@code close()}); a version lacking the expected methods is
 * skipped with one line. A publication class defined after the agent started gets a field for its stream probe
 * ({@link StreamField}), so a refused offer finds it with one field read; one loaded before keeps the probe in an
 * identity table.
 */
public final class AeronModule implements AdviceModule {
    private static final String CONCURRENT = "io.aeron.ConcurrentPublication";
    private static final String EXCLUSIVE = "io.aeron.ExclusivePublication";

    /** The offer probe, set as the advice is built; for {@link #adopt}. */
    private volatile ProbeIdMapping offerProbe;

    @Override
    public String name() {
        return "aeron";
    }

    @Override
    public Set<String> targetTypes() {
        return Set.of("io.aeron.Publication", CONCURRENT, EXCLUSIVE, "io.aeron.Subscription", "io.aeron.Aeron");
    }

    @Override
    public List<String> libraryPrefixes() {
        return List.of("io/aeron/");
    }

    /** Where {@link AeronAdvice.Created} attaches a publication's stream probe: its constructors. */
    @Override
    public Map<String, String> setUpSites() {
        return Map.of(CONCURRENT, "<init>", EXCLUSIVE, "<init>");
    }

    /**
     * Attaches the stream probe of a publication constructed before the advice was in place, as {@link
     * AeronAdvice.Created} does, from its position now (what it sent before is not counted), and the client that added
     * it, which {@link AeronAdvice.Added} would have remembered.
     */
    @Override
    public void adopt(String type, Object publication) {
        Publications.created(
                offerProbe.probe(null, null).id(),
                publication,
                AeronAdvice.STREAM_PREFIX,
                (String) LagReader.call(publication, "channel"),
                (Integer) LagReader.call(publication, "streamId"),
                (Long) LagReader.call(publication, "position"));
        Publications.client(publication, LagReader.addedBy(publication));
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
        final PositionReader positions = new PositionReader();
        Publications.lagReader(new LagReader());
        final ProbeIdMapping offer = mapping(
                support,
                "aeron.Publication#offer",
                0,
                probe -> probe.instanceGauge(new Probe.InstanceGauge(Gauge.INSTANCES, positions)));
        offerProbe = offer;
        final ProbeIdMapping claim = mapping(support, "aeron.Publication#tryClaim", 0, probe -> {});
        final ProbeIdMapping poll = mapping(support, "aeron.Subscription#poll", Dist.bit(Dist.SIZE), probe -> {});
        // The operation probes sum every stream: their laggard is the subscriber furthest behind on any of them.
        Laggards.aggregate(support.names().apply("aeron.Publication#offer"));
        Laggards.aggregate(support.names().apply("aeron.Publication#tryClaim"));
        final ElementMatcher<TypeDescription> publications = named(CONCURRENT)
                .or(named(EXCLUSIVE))
                .and(RequiredMethods.of(
                        name(),
                        "offer(org.agrona.DirectBuffer,int,int,io.aeron.ReservedValueSupplier)",
                        "offer(org.agrona.DirectBuffer,int,int,org.agrona.DirectBuffer,int,int,"
                                + "io.aeron.ReservedValueSupplier)",
                        "offer([Lio.aeron.DirectBufferVector;,io.aeron.ReservedValueSupplier)",
                        "tryClaim(int,io.aeron.logbuffer.BufferClaim)"));
        final ElementMatcher<MethodDescription> offers = named("offer")
                .and(takesArguments(4).or(takesArguments(7)))
                .or(named("offer")
                        .and(takesArguments(2))
                        .and(takesArgument(0, named("io.aeron.DirectBufferVector[]"))));
        final ElementMatcher<MethodDescription> claims =
                named("tryClaim").and(takesArguments(2)).and(takesArgument(0, int.class));
        final StreamField.Mapping field = new StreamField.Mapping();
        // A publication class defined from now on gets a field for its stream probe; one already loaded (retransformed)
        // cannot change shape and finds its stream probe in the identity table.
        return builder.type(withStreamField(publications, true))
                .transform((b, type, loader, module, domain) -> b.visit(new StreamField.Adder()))
                .transform(support.advice(offer, StreamField.Value.class, field)
                        .advice(isConstructor(), AeronAdvice.CreatedOnField.class.getName()))
                .transform((b, type, loader, module, domain) ->
                        b.visit(RefusalSites.of(offers, claims, offer, claim, true)))
                .type(withStreamField(publications, false))
                .transform(support.advice(offer).advice(isConstructor(), AeronAdvice.Created.class.getName()))
                .transform((b, type, loader, module, domain) ->
                        b.visit(RefusalSites.of(offers, claims, offer, claim, false)))
                .type(named("io.aeron.Publication").and(RequiredMethods.of(name(), "close()", "position()")))
                .transform(support.advice(offer)
                        .advice(named("close").and(takesArguments(0)), AeronAdvice.Closing.class.getName()))
                .type(named("io.aeron.Aeron")
                        .and(RequiredMethods.of(
                                name(),
                                "addPublication(java.lang.String,int)",
                                "addExclusivePublication(java.lang.String,int)",
                                "countersReader()")))
                .transform(support.advice(offer)
                        .advice(
                                named("addPublication")
                                        .or(named("addExclusivePublication"))
                                        .and(takesArguments(2)),
                                AeronAdvice.Added.class.getName()))
                .type(named("io.aeron.Subscription")
                        .and(RequiredMethods.of(name(), "poll(io.aeron.logbuffer.FragmentHandler,int)")))
                .transform(support.advice(poll)
                        .advice(named("poll").and(takesArguments(2)), AeronAdvice.Poll.class.getName()));
    }

    /**
     * Matches {@code types} whose class may ({@code with}) or may not (not {@code with}) have the {@link StreamField}:
     * see {@link StreamField#addable}.
     */
    private static AgentBuilder.RawMatcher withStreamField(ElementMatcher<TypeDescription> types, boolean with) {
        return (type, loader, module, classBeingRedefined, domain) ->
                types.matches(type) && StreamField.addable(classBeingRedefined) == with;
    }

    private static ProbeIdMapping mapping(
            AdviceSupport support, String name, int dists, java.util.function.Consumer<Probe> onRegistered) {
        final String renamed = support.names().apply(name);
        return new ProbeIdMapping(
                (type, method) -> renamed, PathKind.IPC, dists, io.hotpath.bootstrap.ProbeModules.AERON, onRegistered);
    }
}
