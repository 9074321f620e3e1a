package io.hotpath.agent.instrument.netty;

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
 * Netty 4.1 and 4.2 (the same internal API in 4.1.137 and 4.2.18). Probes:
 *
 * <ul>
 *   <li>{@code netty.outbound} ({@code ChannelOutboundBuffer}, all channels): {@code in} messages written,
 *       {@code bytes_out} their bytes (Netty's size estimate: readable bytes of a buffer), {@code batches} flushes,
 *       {@code out} messages written to the transport, {@code errors} messages failed, {@code unwritable} times a
 *       channel became unwritable, the {@code wait} distribution how long it stayed unwritable, {@code size} bytes
 *       per message (sampled). Pending bytes are {@code bytes_out} minus what the transport took; per channel Netty
 *       keeps them itself.
 *   <li>{@code netty.ChannelGroup#write} and {@code #writeAndFlush} ({@code DefaultChannelGroup}): broadcasts,
 *       recipients per broadcast, latency of handing the message to every channel.
 * </ul>
 *
 * A class loader whose Netty lacks one of these methods (another major version, a repackaged fork) is skipped with
 * one line naming the class and the missing method.
 */
public final class NettyModule implements AdviceModule {
    static final String BUFFER = "io.netty.channel.ChannelOutboundBuffer";
    static final String GROUP = "io.netty.channel.group.DefaultChannelGroup";

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public Set<String> targetTypes() {
        return Set.of(BUFFER, GROUP);
    }

    @Override
    public List<String> libraryPrefixes() {
        return List.of("io/netty/");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
        final ProbeIdMapping outbound =
                mapping(support, "netty.outbound", PathKind.IPC, Dist.bit(Dist.SIZE) | Dist.bit(Dist.WAIT));
        final ProbeIdMapping write = mapping(
                support, "netty.ChannelGroup#write", PathKind.BROADCAST, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE));
        final ProbeIdMapping writeAndFlush = mapping(
                support,
                "netty.ChannelGroup#writeAndFlush",
                PathKind.BROADCAST,
                Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE));
        return builder.type(named(BUFFER)
                        .and(RequiredMethods.of(
                                name(),
                                "addMessage(java.lang.Object,int,io.netty.channel.ChannelPromise)",
                                "addFlush()",
                                "remove()",
                                "remove(java.lang.Throwable)",
                                "setUnwritable(boolean)",
                                "setWritable(boolean)")))
                .transform(support.advice(outbound)
                        .advice(
                                named("addMessage").and(takesArguments(3)).and(takesArgument(1, int.class)),
                                NettyAdvice.AddMessage.class.getName())
                        .advice(named("addFlush").and(takesArguments(0)), NettyAdvice.AddFlush.class.getName())
                        .advice(named("remove").and(takesArguments(0)), NettyAdvice.Remove.class.getName())
                        .advice(named("remove").and(takesArguments(Throwable.class)), NettyAdvice.Fail.class.getName())
                        .advice(
                                named("setUnwritable").and(takesArguments(boolean.class)),
                                NettyAdvice.Unwritable.class.getName())
                        .advice(
                                named("setWritable").and(takesArguments(boolean.class)),
                                NettyAdvice.Writable.class.getName()))
                .type(named(GROUP)
                        .and(RequiredMethods.of(
                                name(),
                                "write(java.lang.Object,io.netty.channel.group.ChannelMatcher,boolean)",
                                "writeAndFlush(java.lang.Object,io.netty.channel.group.ChannelMatcher,boolean)")))
                .transform(support.advice(write)
                        .advice(
                                named("write").and(takesArguments(3)).and(takesArgument(2, boolean.class)),
                                NettyAdvice.Broadcast.class.getName()))
                .transform(support.advice(writeAndFlush)
                        .advice(
                                named("writeAndFlush").and(takesArguments(3)).and(takesArgument(2, boolean.class)),
                                NettyAdvice.Broadcast.class.getName()));
    }

    private static ProbeIdMapping mapping(AdviceSupport support, String name, PathKind kind, int dists) {
        final String renamed = support.names().apply(name);
        return new ProbeIdMapping((type, method) -> renamed, kind, dists, probe -> {});
    }
}
