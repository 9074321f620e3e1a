package io.hotpath.agent.instrument.aeron;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.hotpath.agent.instrument.advice.AdviceModule;
import io.hotpath.agent.instrument.advice.AdviceSupport;
import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import io.hotpath.agent.instrument.advice.RequiredMethods;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Aeron 1.x (checked against 1.51). Probes:
 *
 * <ul>
 *   <li>{@code aeron.Publication#offer} (one buffer, two buffers, or a {@code DirectBufferVector[]}) and
 *       {@code aeron.Publication#tryClaim}: every call, by outcome ({@code in}
 *       sent with {@code bytes_out}, {@code dropped} back-pressured, {@code not_connected}, {@code admin_action},
 *       {@code send_closed}, {@code max_position}), sampled latency;
 *   <li>{@code aeron.publication <channel> stream <id>}: the same outcomes per publication stream, bounded by
 *       {@code hotpath.ipc.endpoints.max};
 *   <li>{@code aeron.Subscription#poll}: polls ({@code calls}), polls that returned fragments ({@code batches}),
 *       fragments ({@code out}, {@code batch_items}) and fragments per poll ({@code size}).
 * </ul>
 *
 * The concrete {@code ConcurrentPublication} and {@code ExclusivePublication} are instrumented (the abstract
 * {@code Publication} only forwards to them); a version lacking the expected methods is skipped with one line.
 */
public final class AeronModule implements AdviceModule {
    @Override
    public String name() {
        return "aeron";
    }

    @Override
    public Set<String> targetTypes() {
        return Set.of("io.aeron.ConcurrentPublication", "io.aeron.ExclusivePublication", "io.aeron.Subscription");
    }

    @Override
    public List<String> libraryPrefixes() {
        return List.of("io/aeron/");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
        final ProbeIdMapping offer = mapping(support, "aeron.Publication#offer", Dist.bit(Dist.LATENCY));
        final ProbeIdMapping claim = mapping(support, "aeron.Publication#tryClaim", Dist.bit(Dist.LATENCY));
        final ProbeIdMapping poll = mapping(support, "aeron.Subscription#poll", Dist.bit(Dist.SIZE));
        return builder.type(named("io.aeron.ConcurrentPublication")
                        .or(named("io.aeron.ExclusivePublication"))
                        .and(RequiredMethods.of(
                                name(),
                                "offer(org.agrona.DirectBuffer,int,int,io.aeron.ReservedValueSupplier)",
                                "offer(org.agrona.DirectBuffer,int,int,org.agrona.DirectBuffer,int,int,"
                                        + "io.aeron.ReservedValueSupplier)",
                                "offer([Lio.aeron.DirectBufferVector;,io.aeron.ReservedValueSupplier)",
                                "tryClaim(int,io.aeron.logbuffer.BufferClaim)")))
                .transform(support.advice(offer)
                        .advice(named("offer").and(takesArguments(4)), AeronAdvice.Offer.class.getName())
                        .advice(named("offer").and(takesArguments(7)), AeronAdvice.OfferTwo.class.getName())
                        .advice(
                                named("offer")
                                        .and(takesArguments(2))
                                        .and(takesArgument(0, named("io.aeron.DirectBufferVector[]"))),
                                AeronAdvice.OfferVector.class.getName()))
                .transform(support.advice(claim)
                        .advice(
                                named("tryClaim").and(takesArguments(2)).and(takesArgument(0, int.class)),
                                AeronAdvice.Claim.class.getName()))
                .type(named("io.aeron.Subscription")
                        .and(RequiredMethods.of(name(), "poll(io.aeron.logbuffer.FragmentHandler,int)")))
                .transform(support.advice(poll)
                        .advice(named("poll").and(takesArguments(2)), AeronAdvice.Poll.class.getName()));
    }

    private static ProbeIdMapping mapping(AdviceSupport support, String name, int dists) {
        final String renamed = support.names().apply(name);
        return new ProbeIdMapping((type, method) -> renamed, PathKind.IPC, dists, probe -> {});
    }
}
