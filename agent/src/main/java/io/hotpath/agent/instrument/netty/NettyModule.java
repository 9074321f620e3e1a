package io.hotpath.agent.instrument.netty;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.hotpath.agent.instrument.advice.AdviceModule;
import io.hotpath.agent.instrument.advice.AdviceSupport;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import io.hotpath.agent.instrument.advice.RequiredMethods;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.snapshot.Gauge;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Netty 4.1 and 4.2 (the same internal API in 4.1.137 and 4.2.18). Probes:
 *
 * <ul>
 *   <li>{@code netty.outbound} ({@code ChannelOutboundBuffer}, all channels): {@code in} messages written,
 *       {@code bytes_out} their bytes (Netty's size estimate: readable bytes of a buffer), {@code batches} flushes,
 *       {@code out} messages written to the transport (those of one gathering write added together when its
 *       {@code removeBytes} returns), {@code errors} messages failed, {@code unwritable} times a
 *       channel became unwritable, the {@code wait} distribution how long it stayed unwritable, {@code size} bytes
 *       per message (sampled); gauges {@code instances} live channels and {@code pending_bytes} the bytes their
 *       outbound buffers hold ({@code totalPendingWriteBytes()}: queued, not yet written, each message counted with
 *       Netty's per-entry overhead, the figure Netty compares with the write-buffer water marks), read on the agent's
 *       thread from at most {@value io.hotpath.bootstrap.Probe#MAX_TRACKED_INSTANCES} live channels.
 *   <li>{@code netty.ChannelGroup#write} and {@code #writeAndFlush} ({@code DefaultChannelGroup}): broadcasts,
 *       recipients per broadcast, latency of handing the message to every channel; {@code dropped} recipients whose
 *       write failed, the {@code wait} distribution the time from the call until every write completed (sampled
 *       like latency; not for void promises, which never complete).
 *   <li>{@code netty.event-loop} (a {@code queue} probe; {@code SingleThreadEventExecutor}, all event loops): gauge
 *       {@code depth} the tasks waiting in the loops' queues ({@code pendingTasks()}), {@code instances} the loops,
 *       both read on the agent's thread from at most {@value io.hotpath.bootstrap.Probe#MAX_TRACKED_INSTANCES} loops
 *       whose threads started.
 * </ul>
 *
 * A class loader whose Netty lacks one of these methods (another major version, a repackaged fork) is skipped with
 * one line naming the class and the missing method.
 */
public final class NettyModule implements AdviceModule {
    static final String BUFFER = "io.netty.channel.ChannelOutboundBuffer";
    static final String GROUP = "io.netty.channel.group.DefaultChannelGroup";
    static final String GROUP_FUTURE = "io.netty.channel.group.DefaultChannelGroupFuture";
    static final String EXECUTOR = "io.netty.util.concurrent.SingleThreadEventExecutor";

    /** The probes whose advice tracks instances, set as the advice is built; for {@link #adopt}. */
    private volatile ProbeIdMapping outboundProbe;

    private volatile ProbeIdMapping loopsProbe;

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public Set<String> targetTypes() {
        return Set.of(BUFFER, GROUP, GROUP_FUTURE, EXECUTOR);
    }

    @Override
    public List<String> libraryPrefixes() {
        return List.of("io/netty/");
    }

    /** Where {@link NettyAdvice.Track} remembers an outbound buffer (its constructor) and an event loop. */
    @Override
    public Map<String, String> setUpSites() {
        return Map.of(BUFFER, "<init>", EXECUTOR, "doStartThread");
    }

    /** Tracks a buffer constructed, or a loop started, before the advice was in place, as {@link NettyAdvice.Track}. */
    @Override
    public void adopt(String type, Object instance) {
        final ProbeIdMapping probe = BUFFER.equals(type) ? outboundProbe : loopsProbe;
        Probes.track(probe.probe(null, null).id(), instance);
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
        final ProbeIdMapping outbound = mapping(
                support,
                "netty.outbound",
                PathKind.IPC,
                Dist.bit(Dist.SIZE) | Dist.bit(Dist.WAIT),
                new Probe.InstanceGauge(Gauge.PENDING_BYTES, new PublicReader(BUFFER, "totalPendingWriteBytes")));
        final int groupDists = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE) | Dist.bit(Dist.WAIT);
        final ProbeIdMapping write = mapping(support, "netty.ChannelGroup#write", PathKind.BROADCAST, groupDists, null);
        final ProbeIdMapping writeAndFlush =
                mapping(support, "netty.ChannelGroup#writeAndFlush", PathKind.BROADCAST, groupDists, null);
        final ProbeIdMapping loops = mapping(
                support,
                "netty.event-loop",
                PathKind.QUEUE,
                0,
                new Probe.InstanceGauge(Gauge.DEPTH, new PublicReader(EXECUTOR, "pendingTasks")));
        outboundProbe = outbound;
        loopsProbe = loops;
        final AgentBuilder.Transformer.ForAdvice groupDone = new AgentBuilder.Transformer.ForAdvice(
                        Advice.withCustomMapping().bind(ProbeId.class, write).bind(FlushProbeId.class, writeAndFlush))
                .include(support.agentLoader())
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
        return builder.type(named(BUFFER)
                        .and(RequiredMethods.of(
                                name(),
                                "addMessage(java.lang.Object,int,io.netty.channel.ChannelPromise)",
                                "addFlush()",
                                "remove()",
                                "remove(java.lang.Throwable)",
                                "removeBytes(long)",
                                "setUnwritable(boolean)",
                                "setWritable(boolean)",
                                "totalPendingWriteBytes()")))
                .transform(support.advice(outbound)
                        .advice(
                                named("addMessage").and(takesArguments(3)).and(takesArgument(1, int.class)),
                                NettyAdvice.AddMessage.class.getName())
                        .advice(named("addFlush").and(takesArguments(0)), NettyAdvice.AddFlush.class.getName())
                        .advice(named("remove").and(takesArguments(0)), NettyAdvice.Remove.class.getName())
                        .advice(named("remove").and(takesArguments(Throwable.class)), NettyAdvice.Fail.class.getName())
                        .advice(
                                named("removeBytes").and(takesArguments(long.class)),
                                NettyAdvice.RemoveBytes.class.getName())
                        .advice(
                                named("setUnwritable").and(takesArguments(boolean.class)),
                                NettyAdvice.Unwritable.class.getName())
                        .advice(
                                named("setWritable").and(takesArguments(boolean.class)),
                                NettyAdvice.Writable.class.getName())
                        .advice(isConstructor(), NettyAdvice.Track.class.getName()))
                .type(named(GROUP)
                        .and(RequiredMethods.of(
                                name(),
                                "write(java.lang.Object,io.netty.channel.group.ChannelMatcher,boolean)",
                                "writeAndFlush(java.lang.Object,io.netty.channel.group.ChannelMatcher,boolean)")))
                .transform(support.advice(write)
                        .advice(
                                named("write").and(takesArguments(3)).and(takesArgument(2, boolean.class)),
                                NettyAdvice.Broadcast.class.getName(),
                                NettyAdvice.BroadcastWrite.class.getName()))
                .transform(support.advice(writeAndFlush)
                        .advice(
                                named("writeAndFlush").and(takesArguments(3)).and(takesArgument(2, boolean.class)),
                                NettyAdvice.Broadcast.class.getName(),
                                NettyAdvice.BroadcastFlush.class.getName()))
                .type(named(GROUP_FUTURE)
                        .and(RequiredMethods.of(
                                name(), "setSuccess0()", "setFailure0(io.netty.channel.group.ChannelGroupException)")))
                .transform(groupDone.advice(
                        named("setSuccess0")
                                .and(takesArguments(0))
                                .or(named("setFailure0").and(takesArguments(1))),
                        NettyAdvice.GroupDone.class.getName()))
                .type(named(EXECUTOR).and(RequiredMethods.of(name(), "doStartThread()", "pendingTasks()")))
                .transform(support.advice(loops)
                        .advice(named("doStartThread").and(takesArguments(0)), NettyAdvice.Track.class.getName()));
    }

    private static ProbeIdMapping mapping(
            AdviceSupport support, String name, PathKind kind, int dists, Probe.InstanceGauge gauge) {
        final String renamed = support.names().apply(name);
        return new ProbeIdMapping(
                (type, method) -> renamed, kind, dists, io.hotpath.bootstrap.ProbeModules.NETTY, probe -> {
                    if (gauge != null) {
                        probe.instanceGauge(gauge);
                    }
                });
    }
}
