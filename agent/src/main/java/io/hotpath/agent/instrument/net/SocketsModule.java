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
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.ProbeModules;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.lang.instrument.Instrumentation;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

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
    /** The operations the advice bindings were built for, with the probe names and distributions they bind. */
    private final Map<SocketOperation, String> bound = new EnumMap<>(SocketOperation.class);

    SocketsModule() {}

    /**
     * The module, once {@code java.base} reads the recording core and opens {@code sun.nio.ch} to it; done at the
     * agent's start, before the application constructs its first socket. Advice inlined into java.base refers to the
     * core, which lives in the boot loader's unnamed module, and java.base reads no other module unless told to. The
     * core reads the private state of JDK sockets constructed while the advice is still being built: whether a classic
     * socket is a server's as it is constructed ({@link Endpoints#pending}), a connection's state and addresses when it
     * is adopted ({@link Endpoints#streamCell}).
     */
    public static SocketsModule openedTo(Instrumentation inst) {
        final Module javaBase = Object.class.getModule();
        final Module core = Probes.class.getModule();
        if (!javaBase.canRead(core) || !javaBase.isOpen("sun.nio.ch", core)) {
            inst.redefineModule(
                    javaBase, Set.of(core), Map.of(), Map.of("sun.nio.ch", Set.of(core)), Set.of(), Map.of());
        }
        return new SocketsModule();
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
        if (!Endpoints.adoptable()) {
            AgentLog.warn("sockets: a SocketChannel's connection state is not readable on this JDK; connections opened"
                    + " before the socket advice was in place are counted without an endpoint");
        }
        return advice(builder, support);
    }

    /** The advice of every socket class, each bound to its operation probes ({@link SocketOperation}). */
    AgentBuilder advice(AgentBuilder builder, AdviceSupport support) {
        AgentBuilder b = socketChannels(builder, support);
        b = serverSocketChannels(b, support);
        b = datagramChannels(b, support);
        b = datagramSockets(b, support);
        return classicSockets(b, support);
    }

    /**
     * The renamed probe name of each operation the advice was bound to by {@link #advice}, which the registration at
     * start must match.
     */
    Map<SocketOperation, String> bound() {
        return Map.copyOf(bound);
    }

    /**
     * The operation probes ({@link SocketOperation}), under the names and with the distributions the advice binds: a
     * program that does its socket work while the advice is still being built has them in its figures, and a
     * connection adopted once the advice lands is counted on them. Cheap: a dozen names in the probe table.
     */
    @Override
    public void registerProbes(AdviceSupport support) {
        for (SocketOperation op : SocketOperation.values()) {
            ProbeRegistration.register(
                    support.names().apply(op.probeName), PathKind.IPC, op.dists, ProbeModules.SOCKETS, op.onRegistered);
        }
    }

    /** {@code SocketChannelImpl}: TCP and UNIX-domain stream channels ({@link SocketChannelAdvice}). */
    private AgentBuilder socketChannels(AgentBuilder builder, AdviceSupport support) {
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
                .transform(pair(support, SocketOperation.TCP_READ, SocketOperation.UDS_READ)
                        .advice(
                                named("read")
                                        .and(takesArguments(ByteBuffer.class)
                                                .or(takesArguments(ByteBuffer[].class, int.class, int.class))),
                                SocketChannelAdvice.Read.class.getName()))
                .transform(pair(support, SocketOperation.TCP_WRITE, SocketOperation.UDS_WRITE)
                        .advice(
                                named("write").and(takesArguments(ByteBuffer.class)),
                                SocketChannelAdvice.Write.class.getName())
                        .advice(
                                named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class)),
                                SocketChannelAdvice.Write.class.getName(),
                                SocketChannelAdvice.GatheringWrite.class.getName()))
                .transform(pair(support, SocketOperation.TCP_CONNECTIONS, SocketOperation.UDS_CONNECTIONS)
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
                .transform(pair(support, SocketOperation.TCP_CONNECTIONS, SocketOperation.UDS_CONNECTIONS)
                        .advice(
                                named("accept").and(takesArguments(0)),
                                ServerSocketChannelAdvice.Accept.class.getName()));
    }

    /** {@code DatagramChannelImpl}: UDP datagrams sent and received ({@link DatagramChannelAdvice}). */
    private AgentBuilder datagramChannels(AgentBuilder builder, AdviceSupport support) {
        return builder.type(named("sun.nio.ch.DatagramChannelImpl")
                        .and(RequiredMethods.of(
                                name(),
                                "send(java.nio.ByteBuffer,java.net.SocketAddress)",
                                "receive(java.nio.ByteBuffer)",
                                "read(java.nio.ByteBuffer)",
                                "write(java.nio.ByteBuffer)",
                                "implCloseSelectableChannel()")))
                .transform(single(support, SocketOperation.UDP_SEND)
                        .advice(
                                named("send")
                                        .and(takesArguments(ByteBuffer.class, SocketAddress.class))
                                        .or(named("write").and(takesArguments(ByteBuffer.class))),
                                DatagramChannelAdvice.Send.class.getName()))
                .transform(single(support, SocketOperation.UDP_RECEIVE)
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
    private AgentBuilder datagramSockets(AgentBuilder builder, AdviceSupport support) {
        return builder.type(named("sun.nio.ch.DatagramSocketAdaptor")
                        .and(RequiredMethods.of(
                                name(), "send(java.net.DatagramPacket)", "receive(java.net.DatagramPacket)")))
                .transform(single(support, SocketOperation.UDP_RECEIVE)
                        .advice(
                                named("receive").and(takesArguments(DatagramPacket.class)),
                                CallAdvice.Begin.class.getName(),
                                DatagramSocketAdvice.Receive.class.getName()));
    }

    /** {@code NioSocketImpl}: classic {@code java.net.Socket} streams ({@link ClassicSocketAdvice}). */
    private AgentBuilder classicSockets(AgentBuilder builder, AdviceSupport support) {
        return builder.type(named("sun.nio.ch.NioSocketImpl")
                        .and(RequiredMethods.of(
                                name(),
                                "read([B,int,int)",
                                "write([B,int,int)",
                                "implWrite([B,int,int)",
                                "connect(java.net.SocketAddress,int)",
                                "accept(java.net.SocketImpl)",
                                "close()")))
                .transform(single(support, SocketOperation.SOCKET_READ)
                        .advice(
                                named("read").and(takesArguments(byte[].class, int.class, int.class)),
                                CallAdvice.Begin.class.getName(),
                                ClassicSocketAdvice.Read.class.getName()))
                .transform(single(support, SocketOperation.SOCKET_WRITE)
                        .advice(
                                named("write").and(takesArguments(byte[].class, int.class, int.class)),
                                CallAdvice.Begin.class.getName(),
                                ClassicSocketAdvice.Write.class.getName())
                        .advice(
                                named("implWrite").and(takesArguments(byte[].class, int.class, int.class)),
                                ClassicSocketAdvice.PartialWrite.class.getName()))
                .transform(single(support, SocketOperation.SOCKET_CONNECTIONS)
                        .advice(
                                named("connect").and(takesArguments(SocketAddress.class, int.class)),
                                StateBefore.class.getName(),
                                ClassicSocketAdvice.Connect.class.getName())
                        .advice(
                                named("accept").and(takesArguments(java.net.SocketImpl.class)),
                                ClassicSocketAdvice.Accept.class.getName())
                        .advice(named("close").and(takesArguments(0)), ClassicSocketAdvice.Close.class.getName()));
    }

    /** Advice with {@link ProbeId} bound to the TCP operation {@code tcp} and {@link UnixProbeId} to {@code uds}. */
    private AgentBuilder.Transformer.ForAdvice pair(AdviceSupport support, SocketOperation tcp, SocketOperation uds) {
        return support.advice(mapping(support, tcp), UnixProbeId.class, mapping(support, uds));
    }

    private AgentBuilder.Transformer.ForAdvice single(AdviceSupport support, SocketOperation op) {
        return support.advice(mapping(support, op));
    }

    /** The binding of {@code op}'s probe, as {@link #registerProbes} registers it; remembered in {@link #bound}. */
    private ProbeIdMapping mapping(AdviceSupport support, SocketOperation op) {
        final String renamed = support.names().apply(op.probeName);
        bound.put(op, renamed);
        return new ProbeIdMapping(
                (type, method) -> renamed, PathKind.IPC, op.dists, ProbeModules.SOCKETS, op.onRegistered);
    }
}
