package io.hotpath.agent.instrument.net;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.hotpath.agent.instrument.advice.AdviceModule;
import io.hotpath.agent.instrument.advice.AdviceSupport;
import io.hotpath.agent.instrument.advice.CallAdvice;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import io.hotpath.agent.instrument.advice.ProbeRegistration;
import io.hotpath.agent.instrument.advice.RequiredMethods;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.ProbeModules;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.lang.instrument.Instrumentation;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * JDK sockets, instrumented in their implementation classes so every path is seen whatever API the application uses:
 * {@code sun.nio.ch.SocketChannelImpl} (TCP and, since JDK 16, UNIX-domain stream sockets; told apart by the
 * channel's protocol family), {@code ServerSocketChannelImpl} (accept), {@code DatagramChannelImpl} (UDP) and
 * {@code NioSocketImpl} (classic {@code java.net.Socket} streams since JDK 13). These names and methods are the same
 * on JDK 17 and 25; a JDK where they differ is skipped with one log line per class ({@link RequiredMethods}).
 *
 * <p>Probes, one per operation kind: {@code net.tcp#read}, {@code net.tcp#write}, {@code net.tcp#connections}, the
 * same for {@code net.uds}, {@code net.udp#send}, {@code net.udp#receive}, {@code net.socket#read},
 * {@code net.socket#write}, {@code net.socket#connections}. Connected channels and classic sockets also get an
 * endpoint probe ({@link io.hotpath.bootstrap.ipc.Endpoints}) named by the remote address (connections opened here:
 * {@code net.tcp to}, {@code net.uds to}, {@code net.socket to}) or the listening address or port (connections
 * accepted here: {@code net.tcp at}, {@code net.uds at}, {@code net.socket at port <n>}); datagram channels get one
 * at their first datagram, named by the connected peer ({@code net.udp to}) or else their local address
 * ({@code net.udp at}). All are bounded by {@code hotpath.ipc.endpoints.max}.
 */
public final class SocketsModule implements AdviceModule {
    /** The distributions of a read, write, send or receive probe. */
    private static final int IO = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.SIZE);

    private final Instrumentation inst;

    public SocketsModule(Instrumentation inst) {
        this.inst = inst;
    }

    @Override
    public String name() {
        return "sockets";
    }

    @Override
    public Set<String> targetTypes() {
        return Set.of(
                "sun.nio.ch.SocketChannelImpl",
                "sun.nio.ch.ServerSocketChannelImpl",
                "sun.nio.ch.DatagramChannelImpl",
                "sun.nio.ch.DatagramSocketAdaptor",
                "sun.nio.ch.NioSocketImpl");
    }

    /**
     * Classes a program defines on its way to its first socket (a selector provider, an address, the classic socket
     * classes): the first one starts the build in the background.
     */
    @Override
    public List<String> libraryPrefixes() {
        return List.of(
                "sun/nio/ch/SelectorProviderImpl",
                "java/net/InetAddress",
                "java/net/InetSocketAddress",
                "java/net/Socket",
                "java/net/ServerSocket",
                "java/net/DatagramSocket");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
        // Advice inlined into java.base refers to the recording core, which lives in the boot loader's unnamed
        // module; java.base reads no other module unless told to. The core reads a stream channel's private state
        // when it adopts one constructed before the advice (Endpoints.streamCell), which needs sun.nio.ch opened to it.
        final Module javaBase = Object.class.getModule();
        final Module core = Probes.class.getModule();
        if (!javaBase.canRead(core) || !javaBase.isOpen("sun.nio.ch", core)) {
            inst.redefineModule(
                    javaBase, Set.of(core), Map.of(), Map.of("sun.nio.ch", Set.of(core)), Set.of(), Map.of());
        }
        if (!Endpoints.adoptable()) {
            AgentLog.warn("sockets: a SocketChannel's connection state is not readable on this JDK; connections opened"
                    + " before the socket advice was in place are counted without an endpoint");
        }
        AgentBuilder b = socketChannels(builder, support, IO);
        b = serverSocketChannels(b, support);
        b = datagramChannels(b, support, IO);
        b = datagramSockets(b, support, IO);
        return classicSockets(b, support, IO);
    }

    /**
     * The operation probes, under the names and with the distributions the advice binds: a program that does its
     * socket work while the advice is still being built has them in its figures, and a connection adopted once the
     * advice lands is counted on them. Cheap: a dozen names in the probe table.
     */
    @Override
    public void registerProbes(AdviceSupport support) {
        for (String family : List.of("net.tcp", "net.uds")) {
            for (String op : List.of("read", "write")) {
                register(support, family + "#" + op, IO, sums(family, op));
            }
            register(support, family + "#connections", 0, probe -> {});
        }
        for (String name : List.of("net.udp#send", "net.udp#receive", "net.socket#read", "net.socket#write")) {
            register(support, name, IO, probe -> {});
        }
        register(support, "net.socket#connections", 0, probe -> {});
    }

    private static void register(AdviceSupport support, String name, int dists, Consumer<Probe> onRegistered) {
        ProbeRegistration.register(
                support.names().apply(name), PathKind.IPC, dists, ProbeModules.SOCKETS, onRegistered);
    }

    /** {@code SocketChannelImpl}: TCP and UNIX-domain stream channels ({@link SocketChannelAdvice}). */
    private AgentBuilder socketChannels(AgentBuilder builder, AdviceSupport support, int io) {
        return builder.type(named("sun.nio.ch.SocketChannelImpl")
                        .and(RequiredMethods.of(
                                name(),
                                "read(java.nio.ByteBuffer)",
                                "read([Ljava.nio.ByteBuffer;,int,int)",
                                "write(java.nio.ByteBuffer)",
                                "write([Ljava.nio.ByteBuffer;,int,int)",
                                "connect(java.net.SocketAddress)",
                                "finishConnect()",
                                "implCloseSelectableChannel()")))
                .transform(pair(support, "read", io)
                        .advice(
                                named("read")
                                        .and(takesArguments(ByteBuffer.class)
                                                .or(takesArguments(ByteBuffer[].class, int.class, int.class))),
                                SocketChannelAdvice.Read.class.getName()))
                .transform(pair(support, "write", io)
                        .advice(
                                named("write").and(takesArguments(ByteBuffer.class)),
                                SocketChannelAdvice.Write.class.getName())
                        .advice(
                                named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class)),
                                SocketChannelAdvice.Write.class.getName(),
                                SocketChannelAdvice.GatheringWrite.class.getName()))
                .transform(pair(support, "connections", 0)
                        .advice(
                                named("connect")
                                        .and(takesArguments(SocketAddress.class))
                                        .or(named("finishConnect").and(takesArguments(0))),
                                StateBefore.class.getName(),
                                SocketChannelAdvice.Connect.class.getName())
                        .advice(
                                named("implCloseSelectableChannel").and(takesArguments(0)),
                                SocketChannelAdvice.Close.class.getName()));
    }

    /** {@code ServerSocketChannelImpl}: connections accepted ({@link ServerSocketChannelAdvice}). */
    private AgentBuilder serverSocketChannels(AgentBuilder builder, AdviceSupport support) {
        return builder.type(named("sun.nio.ch.ServerSocketChannelImpl").and(RequiredMethods.of(name(), "accept()")))
                .transform(pair(support, "connections", 0)
                        .advice(
                                named("accept").and(takesArguments(0)),
                                ServerSocketChannelAdvice.Accept.class.getName()));
    }

    /** {@code DatagramChannelImpl}: UDP datagrams sent and received ({@link DatagramChannelAdvice}). */
    private AgentBuilder datagramChannels(AgentBuilder builder, AdviceSupport support, int io) {
        return builder.type(named("sun.nio.ch.DatagramChannelImpl")
                        .and(RequiredMethods.of(
                                name(),
                                "send(java.nio.ByteBuffer,java.net.SocketAddress)",
                                "receive(java.nio.ByteBuffer)",
                                "read(java.nio.ByteBuffer)",
                                "write(java.nio.ByteBuffer)",
                                "implCloseSelectableChannel()")))
                .transform(single(support, "net.udp#send", io)
                        .advice(
                                named("send")
                                        .and(takesArguments(ByteBuffer.class, SocketAddress.class))
                                        .or(named("write").and(takesArguments(ByteBuffer.class))),
                                DatagramChannelAdvice.Send.class.getName()))
                .transform(single(support, "net.udp#receive", io)
                        .advice(
                                named("receive").and(takesArguments(ByteBuffer.class)),
                                DatagramChannelAdvice.Receive.class.getName())
                        .advice(
                                named("read")
                                        .and(takesArguments(ByteBuffer.class))
                                        .and(returns(int.class)),
                                CallAdvice.Begin.class.getName(),
                                DatagramChannelAdvice.Read.class.getName())
                        .advice(
                                named("implCloseSelectableChannel").and(takesArguments(0)),
                                DatagramChannelAdvice.Close.class.getName()));
    }

    /** {@code DatagramSocketAdaptor}: a {@code java.net.DatagramSocket}'s receive ({@link DatagramSocketAdvice}). */
    private AgentBuilder datagramSockets(AgentBuilder builder, AdviceSupport support, int io) {
        return builder.type(named("sun.nio.ch.DatagramSocketAdaptor")
                        .and(RequiredMethods.of(
                                name(), "send(java.net.DatagramPacket)", "receive(java.net.DatagramPacket)")))
                .transform(single(support, "net.udp#receive", io)
                        .advice(
                                named("receive").and(takesArguments(DatagramPacket.class)),
                                CallAdvice.Begin.class.getName(),
                                DatagramSocketAdvice.Receive.class.getName()));
    }

    /** {@code NioSocketImpl}: classic {@code java.net.Socket} streams ({@link ClassicSocketAdvice}). */
    private AgentBuilder classicSockets(AgentBuilder builder, AdviceSupport support, int io) {
        return builder.type(named("sun.nio.ch.NioSocketImpl")
                        .and(RequiredMethods.of(
                                name(),
                                "read([B,int,int)",
                                "write([B,int,int)",
                                "implWrite([B,int,int)",
                                "connect(java.net.SocketAddress,int)",
                                "accept(java.net.SocketImpl)",
                                "close()")))
                .transform(single(support, "net.socket#read", io)
                        .advice(
                                named("read").and(takesArguments(byte[].class, int.class, int.class)),
                                CallAdvice.Begin.class.getName(),
                                ClassicSocketAdvice.Read.class.getName()))
                .transform(single(support, "net.socket#write", io)
                        .advice(
                                named("write").and(takesArguments(byte[].class, int.class, int.class)),
                                CallAdvice.Begin.class.getName(),
                                ClassicSocketAdvice.Write.class.getName())
                        .advice(
                                named("implWrite").and(takesArguments(byte[].class, int.class, int.class)),
                                ClassicSocketAdvice.PartialWrite.class.getName()))
                .transform(single(support, "net.socket#connections", 0)
                        .advice(
                                named("connect").and(takesArguments(SocketAddress.class, int.class)),
                                StateBefore.class.getName(),
                                ClassicSocketAdvice.Connect.class.getName())
                        .advice(
                                named("accept").and(takesArguments(java.net.SocketImpl.class)),
                                ClassicSocketAdvice.Accept.class.getName())
                        .advice(named("close").and(takesArguments(0)), ClassicSocketAdvice.Close.class.getName()));
    }

    /** Advice with {@link ProbeId} bound to {@code net.tcp#<op>} and {@link UnixProbeId} to {@code net.uds#<op>}. */
    private static AgentBuilder.Transformer.ForAdvice pair(AdviceSupport support, String op, int dists) {
        return new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping()
                        .bind(ProbeId.class, mapping(support, "net.tcp", op, dists))
                        .bind(UnixProbeId.class, mapping(support, "net.uds", op, dists)))
                .include(support.agentLoader())
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
    }

    private static AgentBuilder.Transformer.ForAdvice single(AdviceSupport support, String name, int dists) {
        return support.advice(mapping(support, name, dists));
    }

    private static ProbeIdMapping mapping(AdviceSupport support, String name, int dists) {
        final String renamed = support.names().apply(name);
        return new ProbeIdMapping((type, method) -> renamed, PathKind.IPC, dists, ProbeModules.SOCKETS, probe -> {});
    }

    /**
     * The mapping of stream channel operation {@code family#op}. Reads and writes are counted once, on the
     * connection's endpoint probe when it has one ({@link Endpoints}), so the read and write operation probes are
     * declared the sums of their family's endpoints.
     */
    private static ProbeIdMapping mapping(AdviceSupport support, String family, String op, int dists) {
        final String renamed = support.names().apply(family + "#" + op);
        return new ProbeIdMapping(
                (type, method) -> renamed, PathKind.IPC, dists, ProbeModules.SOCKETS, sums(family, op));
    }

    /** Declares a read or write probe of {@code family} the sum of the family's endpoints; nothing for other ops. */
    private static Consumer<Probe> sums(String family, String op) {
        return switch (op) {
            case "write" -> probe -> Endpoints.streamOperation(family, true, probe);
            case "read" -> probe -> Endpoints.streamOperation(family, false, probe);
            default -> probe -> {};
        };
    }
}
