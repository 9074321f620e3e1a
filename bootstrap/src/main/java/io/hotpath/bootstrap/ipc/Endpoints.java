package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Per-endpoint probes for IPC objects (sockets, publications) with bounded cardinality.
 *
 * <p>Why this shape: advice cannot add a field to a JDK or library class that is already loaded, and a map lookup
 * keyed by the object would allocate or lock. So an endpoint probe is resolved once per object, when it connects or
 * is accepted: its name is built there (the only allocation, once per
 * connection), registered, and its id stored in an {@link IdentityCells} table under the object's identity hash.
 * Each later call finds it with an identity hash and a few reads. Stream channel reads and writes ({@code net.tcp},
 * {@code net.uds}) are then recorded once, on the endpoint probe only: the operation probe's totals are the sum of
 * its family's endpoints ({@link #streamOperation}, read on the cold side) plus what it counted itself for channels
 * with no endpoint probe. Other callers (datagrams, classic sockets) add to both.
 *
 * <p>Names are {@code <prefix> <endpoint>}: the remote address for connections this process opened, the local
 * (listening) address for connections it accepted, the channel and stream id for a publication ({@link Publications}), so ephemeral ports do
 * not multiply names. At most {@link #max()} distinct names are created ({@code hotpath.ipc.endpoints.max}); later
 * endpoints share {@code <prefix> (other)} and are counted in {@link #folded()}. Objects the table has no room for
 * stay counted by the aggregate probe only ({@link #unattached()}).
 */
public final class Endpoints {
    /** Default cap on distinct endpoint names. */
    public static final int DEFAULT_MAX = 128;

    private static final IdentityCells CELLS = new IdentityCells(16384);
    private static final ConcurrentHashMap<String, Probe> NAMED = new ConcurrentHashMap<>();
    private static final AtomicLong FOLDED = new AtomicLong();

    /**
     * By endpoint family ({@code net.tcp}, {@code net.uds}, ...): its stream operation probes and its endpoint probes.
     * A handful of keys, each added once; the map's per-bin lock is held only for that insert.
     */
    private static final ConcurrentHashMap<String, Family> FAMILIES = new ConcurrentHashMap<>();

    /**
     * One endpoint family. An endpoint joins it from advice on an application thread (a new connection), so neither
     * side takes a lock: each publishes first and reads second. {@link #joinFamily} appends the endpoint to
     * {@link #members} (a compare-and-set of a copied array), then reads the operations; {@link #streamOperation} (cold)
     * sets an operation, then reads the members. Both are volatile, so for any endpoint and operation at least one side
     * sees the other and makes the endpoint a part of the operation; when both do, the second {@link Probe#sumOf} has
     * no effect.
     */
    private static final class Family {
        /** Every endpoint probe named in the family, at most the name cap plus one {@code (other)}. */
        final AtomicReference<Probe[]> members = new AtomicReference<>(new Probe[0]);

        /** The stream operation probes, write then read ({@link #streamOperation}); null until declared. */
        final AtomicReferenceArray<Probe> ops = new AtomicReferenceArray<>(2);

        /** The id of the family's connections probe ({@link #connections}); -1 until declared. */
        volatile int connections = -1;
    }

    private static Family family(String family) {
        final Family known = FAMILIES.get(family);
        if (known != null) {
            return known;
        }
        final Family created = new Family();
        final Family raced = FAMILIES.putIfAbsent(family, created);
        return raced != null ? raced : created;
    }

    private static volatile int max = DEFAULT_MAX;

    private Endpoints() {}

    /** Sets the cap on distinct endpoint names; called by the agent before instrumenting. */
    public static void configure(int maxNames) {
        max = Math.max(1, maxNames);
    }

    /** The cap on distinct endpoint names. */
    public static int max() {
        return max;
    }

    /** Distinct endpoint names created so far. */
    public static int names() {
        return NAMED.size();
    }

    /** Endpoints that were folded into a {@code (other)} probe because the cap was reached. */
    public static long folded() {
        return FOLDED.get();
    }

    /** Objects that got no endpoint probe because the identity table had no free cell nearby. */
    public static long unattached() {
        return CELLS.overflow();
    }

    /**
     * {@code SocketChannelImpl.ST_CONNECTED}, the state of a connected stream channel; the same on JDK 17 to 25
     * (checked by the it-tests).
     */
    public static final int STREAM_CONNECTED = 2;

    /** The cell value of a connection the agent itself opened or accepted ({@link AgentThreads}): not counted. */
    public static final long AGENT = -1L;

    /**
     * The cell value of a connection constructed before its class had the advice ({@link FirstUse}): its connect went
     * unseen, so its first recorded call adopts it ({@link #adopt}). {@link #PENDING_ACCEPTED} for one a constructor
     * made from a descriptor the JDK already had, an accepted connection. Both read as "nothing attached" elsewhere.
     */
    public static final long PENDING = -2L;

    /** {@link #PENDING} for an accepted connection, named by its listening address when adopted. */
    public static final long PENDING_ACCEPTED = -3L;

    /**
     * How many objects may ever be marked {@link #PENDING}. A connection opened and closed before the advice is in
     * place keeps its mark (its close was never seen), so the marks are capped well below the table's size; objects
     * past the cap go unadopted, as if the table were full.
     */
    static final int MAX_PENDING = 1024;

    private static final AtomicInteger PENDING_MARKS = new AtomicInteger();

    /**
     * Marks {@code owner}, constructed by the application before its class had the advice, for adoption on its first
     * recorded call. Allocation-free; a no-op once {@link #MAX_PENDING} objects were marked. A classic server socket is
     * kept instead, to name the connections it accepts before the advice is in place ({@link ClassicSocketFields}).
     */
    static void pending(Object owner, boolean accepted) {
        // Only a classic socket's implementation gets to the class reading its fields: that class looks the JDK class
        // up, which must not be what loads it.
        if (owner instanceof java.net.SocketImpl && ClassicSocketFields.listening(owner)) {
            return;
        }
        if (PENDING_MARKS.get() < MAX_PENDING && PENDING_MARKS.getAndIncrement() < MAX_PENDING) {
            CELLS.putIfAbsentRelease(IdentityCells.keyOf(owner), accepted ? PENDING_ACCEPTED : PENDING);
        }
    }

    /**
     * {@link #cellOf} a stream channel ({@code sun.nio.ch.SocketChannelImpl}) on entry to a recorded call, after
     * adopting it when it was marked {@link #PENDING}. Hot: beyond {@link #cellOf}, one comparison; the channel's own
     * fields are read only to adopt it.
     */
    public static long streamCell(Object channel, ProtocolFamily family, int tcp, int uds) {
        final long cell = cellOf(channel);
        return cell < AGENT ? adopt(cell, family, tcp, uds, channel) : cell;
    }

    /**
     * {@code NioSocketImpl.ST_CONNECTED}, the state of a connected classic socket; the same on JDK 17 to 25 (checked by
     * the it-tests).
     */
    public static final int SOCKET_CONNECTED = 3;

    /** Name prefix of a classic socket's endpoint for a connection this process opened: its remote address. */
    public static final String SOCKET_TO = "net.socket to";

    /** Name prefix of a classic socket's endpoint for a connection it accepted: {@code at port <listening port>}. */
    public static final String SOCKET_AT = "net.socket at";

    /**
     * Declares {@code probe} the connections probe of endpoint family {@code family} ({@code net.tcp}, {@code net.uds},
     * {@code net.socket}): a connection adopted on its first read, write or close ({@link #streamCell},
     * {@link #socketCell}) is counted opened there, whichever call adopted it. Cold: the agent calls it as it registers
     * the probe.
     */
    public static void connections(String family, Probe probe) {
        family(family).connections = probe.id();
    }

    /**
     * {@link #cellOf} a classic socket ({@code sun.nio.ch.NioSocketImpl}) in a recorded call, after adopting it when it
     * was marked {@link #PENDING}. Hot: beyond {@link #cellOf}, one comparison, as {@link #streamCell}.
     */
    static long socketCell(Object socket) {
        final long cell = cellOf(socket);
        return cell < AGENT ? adoptSocket(cell, socket) : cell;
    }

    /**
     * A classic socket marked {@link #PENDING} ({@code cell}) makes its first recorded call under the advice: when it
     * is connected, it is counted opened on the connections probe ({@link #connections}) and gets its endpoint
     * probe now, named as its accept ({@link #SOCKET_AT}, its listening port) or its connect ({@link #SOCKET_TO}, its
     * remote address) would have named it ({@link ClassicSocketFields#accepted}). Of threads racing on one socket, the
     * one whose removal takes the mark adopts it. Returns the socket's cell value after that.
     */
    private static long adoptSocket(long cell, Object socket) {
        final int connections = family("net.socket").connections;
        try {
            if (connections < 0 || !ClassicSocketFields.connected(socket)) {
                return cell;
            }
            final int key = IdentityCells.keyOf(socket);
            if (CELLS.remove(key) != cell) {
                return CELLS.getAcquire(key);
            }
            if (ClassicSocketFields.accepted(socket)) {
                socketAccepted(connections, socket, SOCKET_AT, ClassicSocketFields.localPort(socket));
            } else {
                socketOpened(connections, socket, SOCKET_TO, ClassicSocketFields.remote(socket));
            }
            return CELLS.getAcquire(key);
        } catch (Throwable t) {
            Probes.get(connections).fail(t);
            return cell;
        }
    }

    /**
     * Whether a stream channel constructed before its class had the advice can be adopted ({@link #streamCell}): the
     * channel's connection state is readable ({@link SocketChannelFields}). Cold: the agent asks once, after it opened
     * the JDK package to the core.
     */
    public static boolean adoptable() {
        return SocketChannelFields.available();
    }

    /**
     * A stream channel marked {@link #PENDING} ({@code cell}) makes its first recorded call under the advice: when it
     * is connected, it is counted as opened on its family's connections probe ({@link #connections}), not on the
     * operation probe of the call that adopts it, and gets its endpoint probe now, named as its connect or accept would have
     * named it (an accepted one by its own local address, which is the listening address unless the server listened
     * on a wildcard address). Of threads racing on one channel, the one whose removal takes the mark adopts it.
     * Returns the channel's cell value after that. Not connected yet: left marked, its connect, now advised, names it.
     */
    private static long adopt(long cell, ProtocolFamily family, int tcp, int uds, Object channel) {
        final int connections = family(family == StandardProtocolFamily.UNIX ? "net.uds" : "net.tcp").connections;
        try {
            if (connections < 0 || !SocketChannelFields.connected(channel)) {
                return cell;
            }
            final int key = IdentityCells.keyOf(channel);
            if (CELLS.remove(key) != cell) {
                return CELLS.getAcquire(key);
            }
            final boolean accepted = cell == PENDING_ACCEPTED;
            final Object endpoint = accepted ? SocketChannelFields.local(channel) : SocketChannelFields.remote(channel);
            streamOpened(family, connections, connections, channel, accepted, endpoint);
            return CELLS.getAcquire(key);
        } catch (Throwable t) {
            Probes.get(streamProbe(family, tcp, uds)).fail(t);
            return cell;
        }
    }

    /** The endpoint probe attached to {@code owner}, or null. Hot: allocation-free, O(1). */
    static Probe attached(Object owner) {
        return probeOf(CELLS.getAcquire(IdentityCells.keyOf(owner)));
    }

    /**
     * What is attached to {@code owner}: 0 nothing, {@link #AGENT} the agent's own connection, else an endpoint probe
     * ({@link #probeOf}). Hot: one identity hash and a few reads. Advice reads it once on entry and passes it on.
     */
    public static long cellOf(Object owner) {
        return CELLS.getAcquire(IdentityCells.keyOf(owner));
    }

    /** The endpoint probe of a {@link #cellOf} value, or null. */
    public static Probe probeOf(long cell) {
        return cell > 0L ? Probes.get((int) (cell - 1L)) : null;
    }

    /**
     * Marks {@code owner} as the agent's own connection when the calling thread is the agent's, and then returns
     * true: the caller counts nothing for it, now or later. Called once per connection (connect, accept).
     */
    static boolean excluded(Object owner) {
        if (!AgentThreads.current()) {
            return false;
        }
        CELLS.putRelease(IdentityCells.keyOf(owner), AGENT);
        return true;
    }

    /** Forgets {@code owner} when it is the agent's own connection (closing); true if it was. */
    static boolean closedAgent(Object owner, long cell) {
        if (cell != AGENT) {
            return false;
        }
        CELLS.remove(IdentityCells.keyOf(owner));
        return true;
    }

    /**
     * Attaches the endpoint probe {@code <prefix> <endpoint>} to {@code owner} and counts one connection opened on it.
     * Called once per connection (connect, accept), never per message.
     */
    public static void open(Object owner, String prefix, Object endpoint) {
        final Probe p = resolve(prefix, String.valueOf(endpoint));
        if (CELLS.putRelease(IdentityCells.keyOf(owner), p.id() + 1L)) {
            p.increment(Slot.OPENED);
        }
    }

    /** Detaches {@code owner}'s endpoint probe, counting one connection closed on it; returns its cell value. */
    static long close(Object owner) {
        final long v = CELLS.remove(IdentityCells.keyOf(owner));
        if (v > 0L) {
            Probes.get((int) (v - 1L)).increment(Slot.CLOSED);
        }
        return v;
    }

    /**
     * The endpoint probe of a channel that has no connection event to name it at (an unconnected datagram channel),
     * attached on its first use as {@code <prefix> <endpoint>} and counted as opened there; null when the table had no
     * room. Only the first call per owner allocates; {@link #close} detaches it.
     */
    static Probe firstUse(Object owner, String prefix, Object endpoint) {
        final int key = IdentityCells.keyOf(owner);
        final long v = CELLS.getAcquire(key);
        if (v > 0L || v == AGENT) {
            return probeOf(v);
        }
        if (channelsUnattachable) {
            // Once an owner could not be stored, later misses would rebuild the name on every call: stop trying, so
            // the slow path (and its allocation) cannot become per-call.
            return null;
        }
        final Probe p = resolve(prefix, String.valueOf(endpoint));
        if (CELLS.putRelease(key, p.id() + 1L)) {
            p.increment(Slot.OPENED);
            return p;
        }
        channelsUnattachable = true;
        return null;
    }

    /** Set when a first-use owner found no free cell; from then on such channels get no endpoint probe. */
    private static volatile boolean channelsUnattachable;

    /** Attaches {@code <prefix> port <port>} to {@code owner} (a connection accepted on a listening port). */
    static void openPort(Object owner, String prefix, int port) {
        open(owner, prefix, "port " + port);
    }

    /**
     * Adds {@code n} to {@code slot} of a classic socket's operation probe and of its endpoint probe, when it has one
     * ({@link #socketCell}). Hot: one lookup, allocation-free.
     */
    static void socketAdd(Probe p, Object socket, int slot, long n) {
        p.add(slot, n);
        final Probe e = probeOf(socketCell(socket));
        if (e != null) {
            e.add(slot, n);
        }
    }

    /**
     * Records one datagram send on the operation probe and on the channel's endpoint probe: {@code n > 0} bytes sent,
     * or 0 with bytes offered, which means no room in the socket buffer (a datagram is sent whole or not at all).
     * The endpoint is the connected peer ({@code net.udp to}) or else the local address ({@code net.udp at}), chosen
     * at the channel's first datagram. Hot: allocation-free after that first call.
     */
    static void datagramSent(Probe p, Object channel, Object local, Object remote, int n, long offered) {
        final Probe e = udpEndpoint(channel, local, remote);
        datagramSent(p, n, offered);
        if (e != null) {
            datagramSent(e, n, offered);
        }
    }

    private static void datagramSent(Probe p, int n, long offered) {
        if (n > 0) {
            p.increment(Slot.IN);
            p.add(Slot.BYTES_OUT, n);
        } else if (offered > 0) {
            p.increment(Slot.DROPPED);
        }
    }

    /** The connected peer ({@code net.udp to}) or else the local address ({@code net.udp at}) of a datagram channel. */
    private static Probe udpEndpoint(Object channel, Object local, Object remote) {
        return remote != null ? firstUse(channel, "net.udp to", remote) : firstUse(channel, "net.udp at", local);
    }

    /** Records one datagram of {@code n} bytes received, like {@link #datagramSent}. */
    static void datagramReceived(Probe p, Object channel, Object local, Object remote, long n) {
        datagramReceived(p, udpEndpoint(channel, local, remote), n);
    }

    /**
     * One {@code java.net.DatagramSocket} receive (the JDK runs the classic socket on a datagram channel,
     * {@code sun.nio.ch.DatagramSocketAdaptor}, whose receive does not pass through the channel's): {@code n} bytes,
     * the packet's length, recorded as {@link #datagramReceived} does, with the sampled latency; {@code thrown}
     * non-null counts an error. Hot: the socket's addresses are read only to name a new endpoint.
     */
    public static void datagramSocketReceived(
            int id, Object channel, java.net.DatagramSocket socket, int n, long start, Throwable thrown) {
        final Probe p = Probes.get(id);
        try {
            if (thrown != null) {
                p.endWithError(start);
                return;
            }
            Probe e = attached(channel);
            if (e == null && !channelsUnattachable) {
                e = udpEndpoint(channel, socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
            }
            datagramReceived(p, e, n);
            p.end(start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    private static void datagramReceived(Probe p, Probe endpoint, long n) {
        p.increment(Slot.OUT);
        p.add(Slot.BYTES_IN, n);
        if (endpoint != null) {
            endpoint.increment(Slot.OUT);
            endpoint.add(Slot.BYTES_IN, n);
        }
    }

    /**
     * Declares {@code op} the write ({@code write}) or read operation probe of the stream channels whose endpoint
     * names start with {@code family} ({@code net.tcp}, {@code net.uds}): from then on every endpoint probe of that
     * family, present and future, is a part of its totals ({@link Probe#sumOf}). Writes: the endpoint's messages in
     * are the operation's calls, with bytes out and partial writes; reads: messages out are calls, with bytes in.
     * Called by the agent when it registers the operation probe. Cold; takes no lock ({@link Family}).
     */
    public static void streamOperation(String family, boolean write, Probe op) {
        final Family f = family(family);
        f.ops.set(write ? 0 : 1, op);
        for (Probe e : f.members.get()) {
            sumInto(op, write, e);
        }
    }

    /**
     * Remembers an endpoint probe of {@code prefix}'s family and makes it a part of the family's operations. Runs on
     * the thread that named the endpoint, an application thread inside advice: takes no lock ({@link Family}).
     */
    static void joinFamily(String prefix, Probe endpoint) {
        final int space = prefix.indexOf(' ');
        final Family f = family(space < 0 ? prefix : prefix.substring(0, space));
        Probe[] was;
        Probe[] now;
        do {
            was = f.members.get();
            for (Probe m : was) {
                if (m == endpoint) {
                    return;
                }
            }
            now = Arrays.copyOf(was, was.length + 1);
            now[was.length] = endpoint;
        } while (!f.members.compareAndSet(was, now));
        for (int i = 0; i < 2; i++) {
            final Probe op = f.ops.get(i);
            if (op != null) {
                sumInto(op, i == 0, endpoint);
            }
        }
    }

    private static void sumInto(Probe op, boolean write, Probe endpoint) {
        if (write) {
            op.sumOf(endpoint, Slot.IN, Slot.CALLS);
            op.sumOf(endpoint, Slot.BYTES_OUT, Slot.BYTES_OUT);
            op.sumOf(endpoint, Slot.PARTIAL, Slot.PARTIAL);
        } else {
            op.sumOf(endpoint, Slot.OUT, Slot.CALLS);
            op.sumOf(endpoint, Slot.BYTES_IN, Slot.BYTES_IN);
        }
    }

    /** The endpoint probe {@code <prefix> <endpoint>}, capped like every endpoint name. Cold: allocates the name. */
    static Probe named(String prefix, String endpoint) {
        return resolve(prefix, endpoint);
    }

    private static Probe resolve(String prefix, String endpoint) {
        final String name = prefix + " " + endpoint;
        final Probe known = NAMED.get(name);
        if (known != null) {
            return known;
        }
        final Probe p;
        if (NAMED.size() >= max) {
            FOLDED.incrementAndGet();
            p = Probes.register(prefix + " (other)", PathKind.IPC, 0);
        } else {
            p = NAMED.computeIfAbsent(name, n -> Probes.register(n, PathKind.IPC, 0));
        }
        // Born off while its module is off: Aeron's stream probes belong to aeron, every socket endpoint to sockets.
        io.hotpath.bootstrap.ProbeModules.join(
                p,
                prefix.startsWith("aeron")
                        ? io.hotpath.bootstrap.ProbeModules.AERON
                        : io.hotpath.bootstrap.ProbeModules.SOCKETS);
        joinFamily(prefix, p);
        return p;
    }

    /**
     * The pipeline edge of a sampled stream write ({@link io.hotpath.bootstrap.Flows}): from where the writing thread
     * took its work to the channel's endpoint probe, or to the operation probe {@code id} when it has none. Only the
     * timed (sampled) writes come here, on the exit's slow branch; the common write pays nothing for it.
     */
    static void wroteSampled(int id, long cell) {
        io.hotpath.bootstrap.Flows.put(cell > 0L ? (int) (cell - 1L) : id);
    }

    // ---------------------------------------------------------------- what socket advice calls
    //
    // One method per advised call's entry or exit, so that each advice method is one call: it finds its probe by id,
    // records, and turns a fault inside into a disabled probe ({@link Probe#fail}) that never reaches the application.

    /**
     * The smallest entry token of a timed stream channel call ({@link #beginWrite}); every token below it is a timed
     * call, every token from it up an untimed call's cell value.
     */
    private static final long TIMED = PENDING_ACCEPTED - 1L;

    /** The clock reading a timed call's start is stored relative to in its token: no start is earlier. */
    private static final long EPOCH = System.nanoTime();

    /**
     * Entry of an advised stream channel read ({@code SocketChannelImpl}, TCP or UNIX-domain by {@code family}, with
     * operation probes {@code tcp} and {@code uds}); returns the token its exit takes ({@link #readDone}). As
     * {@link #beginWrite}.
     */
    public static long beginRead(Object channel, ProtocolFamily family, int tcp, int uds) {
        return begin(Probe.READS, channel, family, tcp, uds);
    }

    /**
     * Entry of an advised stream channel write: looks up the channel's cell ({@link #streamCell}, adopting it if it was
     * {@link #PENDING}) and decides whether the call is timed. On a channel with an endpoint probe nothing is counted
     * yet (its exit counts the call with its bytes, {@link #writeDone}) and the operation probe is not looked up;
     * without one the call is counted on the operation probe now. Nothing for the agent's own connection.
     *
     * <p>Returns one long, the token the exit takes: an untimed call's cell value ({@link #cellOf}, at least
     * {@link #PENDING_ACCEPTED}); or, below that, a timed call's start time relative to {@link #EPOCH} and whether the
     * channel had an endpoint probe. The advice is inlined into the JDK's read and write, which must stay small enough
     * for the JIT to inline them into their callers: one returned value costs that method less bytecode than a second
     * advice local and a second call would. A timed call (one in many) looks the cell up again on exit.
     */
    public static long beginWrite(Object channel, ProtocolFamily family, int tcp, int uds) {
        return begin(Probe.WRITES, channel, family, tcp, uds);
    }

    private static long begin(int pair, Object channel, ProtocolFamily family, int tcp, int uds) {
        try {
            final long cell = streamCell(channel, family, tcp, uds);
            if (cell > 0L) {
                final long start = Probes.get((int) (cell - 1L)).beginPacked(pair);
                return start == 0L ? cell : TIMED - ((start - EPOCH) << 1 | 1L);
            }
            if (cell == AGENT) {
                return AGENT;
            }
            final long start = Probes.get(streamProbe(family, tcp, uds)).begin();
            return start == 0L ? cell : TIMED - ((start - EPOCH) << 1);
        } catch (Throwable t) {
            Probes.get(streamProbe(family, tcp, uds)).fail(t);
            return 0L;
        }
    }

    /**
     * Exit of an advised stream channel read that returned {@code n} bytes (0 or -1 for none) or threw {@code thrown},
     * with the token of its entry ({@link #beginRead}): as {@link #writeDone}, without partial reads.
     */
    public static void readDone(
            Object channel, ProtocolFamily family, int tcp, int uds, long token, long n, Throwable thrown) {
        streamEnd(Probe.READS, channel, family, tcp, uds, token, n, false, thrown);
    }

    /**
     * Exit of an advised {@code write(ByteBuffer)} that returned {@code n} or threw {@code thrown}, with the token of
     * its entry ({@link #beginWrite}). Bytes left in {@code src} after it returned make it a partial write: the JDK
     * moved the buffer's position by the {@code n} bytes it took, so what it did not take is still there, and the
     * bytes offered need not be read on entry.
     */
    public static void writeDone(
            Object channel,
            ProtocolFamily family,
            int tcp,
            int uds,
            long token,
            long n,
            java.nio.ByteBuffer src,
            Throwable thrown) {
        streamEnd(Probe.WRITES, channel, family, tcp, uds, token, n, thrown == null && src.hasRemaining(), thrown);
    }

    /**
     * Exit of an advised gathering {@code write(ByteBuffer[], int, int)}: as {@link #writeDone}, partial when the
     * buffers of the range have bytes left ({@link #remaining}).
     */
    public static void gatheringWriteDone(
            Object channel,
            ProtocolFamily family,
            int tcp,
            int uds,
            long token,
            long n,
            java.nio.ByteBuffer[] srcs,
            int offset,
            int length,
            Throwable thrown) {
        final boolean partial = thrown == null && remaining(srcs, offset, length) > 0L;
        streamEnd(Probe.WRITES, channel, family, tcp, uds, token, n, partial, thrown);
    }

    /**
     * The exit of a stream channel read or write ({@code pair}). The common case, an untimed call on a channel with an
     * endpoint probe that returned, is one packed add on that probe; the operation probe is looked up only when the
     * call was timed, threw, or has no endpoint probe ({@link #streamDone}).
     */
    private static void streamEnd(
            int pair,
            Object channel,
            ProtocolFamily family,
            int tcp,
            int uds,
            long token,
            long n,
            boolean partial,
            Throwable thrown) {
        if (token > 0L && thrown == null) {
            try {
                final Probe e = Probes.get((int) (token - 1L));
                e.addPacked(pair, n);
                if (partial) {
                    e.increment(Slot.PARTIAL);
                }
            } catch (Throwable t) {
                Probes.get(streamProbe(family, tcp, uds)).fail(t);
            }
            return;
        }
        streamDone(pair, channel, family, tcp, uds, token, n, partial, thrown);
    }

    /**
     * The exit of a stream channel read or write ({@code pair}) off the common path: timed, threw, no endpoint probe,
     * or the agent's own connection (nothing counted). The call is counted once: on the endpoint probe with its bytes,
     * or on the operation probe, by the entry when the channel had no endpoint probe then, else here (a timed call
     * whose channel was closed, and its endpoint probe detached, while it ran). A timed call's size is sampled with its
     * latency, as a classic socket's.
     */
    private static void streamDone(
            int pair,
            Object channel,
            ProtocolFamily family,
            int tcp,
            int uds,
            long token,
            long n,
            boolean partial,
            Throwable thrown) {
        if (token == AGENT) {
            return;
        }
        final int id = streamProbe(family, tcp, uds);
        final Probe p = Probes.get(id);
        try {
            final boolean timed = token <= TIMED;
            final long start = timed ? EPOCH + ((TIMED - token) >>> 1) : 0L;
            final boolean hadEndpoint = timed ? ((TIMED - token) & 1L) != 0L : token > 0L;
            final Probe e = hadEndpoint ? probeOf(timed ? cellOf(channel) : token) : null;
            if (hadEndpoint && e == null) {
                p.increment(Slot.CALLS);
            }
            if (thrown != null) {
                if (e != null) {
                    e.addPacked(pair, 0L); // a call that threw is still a call
                }
                p.endWithError(start);
                return;
            }
            final Probe on = e != null ? e : p;
            if (e != null) {
                e.addPacked(pair, n);
            } else if (n > 0) {
                p.add(pair == Probe.WRITES ? Slot.BYTES_OUT : Slot.BYTES_IN, n);
            }
            if (partial) {
                on.increment(Slot.PARTIAL);
            }
            if (timed) {
                if (n > 0) {
                    p.record(Dist.SIZE, n);
                }
                p.end(start);
                if (pair == Probe.WRITES) {
                    io.hotpath.bootstrap.Flows.put(on.id());
                }
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * A connected stream channel is closing: adopted first if it was marked {@link #PENDING} (a connection opened
     * before the advice was in place is counted opened before it is counted closed), then {@link #channelClosed} on
     * its family's probe.
     */
    public static void streamClosed(Object channel, ProtocolFamily family, int tcp, int uds) {
        streamCell(channel, family, tcp, uds);
        channelClosed(streamProbe(family, tcp, uds), channel);
    }

    /**
     * The bytes a gathering write is offered: the sum of the buffers' remaining bytes over the given range, the same
     * walk the JDK makes to build its I/O vector. 0 for a range the JDK is about to reject (it throws, and the call is
     * counted as an error); a bad argument of the application's is not a fault of the probe.
     */
    public static long remaining(java.nio.ByteBuffer[] srcs, int offset, int length) {
        if (srcs == null || offset < 0 || length < 0 || offset > srcs.length - length) {
            return 0L;
        }
        long sum = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            final java.nio.ByteBuffer b = srcs[i];
            if (b == null) {
                return 0L;
            }
            sum += b.remaining();
        }
        return sum;
    }

    /**
     * The probe of a stream channel of protocol {@code family} ({@code SocketChannelImpl}, {@code ServerSocketChannelImpl}
     * serve both): {@code uds} for a UNIX-domain channel, else {@code tcp}. The one place socket advice tells the two
     * apart; hot, a reference comparison.
     */
    public static int streamProbe(ProtocolFamily family, int tcp, int uds) {
        return family == StandardProtocolFamily.UNIX ? uds : tcp;
    }

    /**
     * A stream channel of protocol {@code family} connected ({@code accepted} false: named by the remote address,
     * {@code net.tcp to}, {@code net.uds to}) or was accepted (named by the listening address, {@code net.tcp at},
     * {@code net.uds at}): {@link #channelOpened} on the family's probe ({@link #streamProbe}).
     */
    public static void streamOpened(
            ProtocolFamily family, int tcp, int uds, Object channel, boolean accepted, Object endpoint) {
        final boolean unix = family == StandardProtocolFamily.UNIX;
        final String prefix =
                unix ? (accepted ? "net.uds at" : "net.uds to") : (accepted ? "net.tcp at" : "net.tcp to");
        channelOpened(unix ? uds : tcp, channel, prefix, endpoint);
    }

    /**
     * A stream channel connected or was accepted: counts the connection on probe {@code id} and attaches its endpoint
     * probe {@code <prefix> <endpoint>}, unless the calling thread is the agent's ({@link #excluded}). Once per
     * connection.
     */
    public static void channelOpened(int id, Object channel, String prefix, Object endpoint) {
        final Probe p = Probes.get(id);
        try {
            if (!excluded(channel)) {
                p.increment(Slot.OPENED);
                open(channel, prefix, endpoint);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** A connected stream channel is closing: counted on probe {@code id} and its endpoint, unless it is the agent's. */
    public static void channelClosed(int id, Object channel) {
        final Probe p = Probes.get(id);
        try {
            if (!closedAgent(channel, cellOf(channel))) {
                p.increment(Slot.CLOSED);
                close(channel);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** A datagram channel is closing: detaches its endpoint probe, counting it closed there ({@link #close}). */
    public static void datagramChannelClosed(int id, Object channel) {
        try {
            close(channel);
        } catch (Throwable t) {
            Probes.get(id).fail(t);
        }
    }

    /**
     * Exit of an advised datagram send on probe {@code id}: an error if it threw, else {@link #datagramSent(Probe,
     * Object, Object, Object, int, long)}, and the sampled latency.
     */
    public static void sendDone(
            int id, Object channel, Object local, Object remote, long start, int n, long offered, Throwable thrown) {
        final Probe p = Probes.get(id);
        try {
            if (thrown != null) {
                p.endWithError(start);
                return;
            }
            datagramSent(p, channel, local, remote, n, offered);
            p.end(start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * Exit of an advised datagram receive or read on probe {@code id}: an error if it threw, else one datagram of
     * {@code n} bytes ({@link #datagramReceived(Probe, Object, Object, Object, long)}; none when {@code n} is negative:
     * nothing was waiting), and the sampled latency.
     */
    public static void receiveDone(
            int id, Object channel, Object local, Object remote, long start, long n, Throwable thrown) {
        final Probe p = Probes.get(id);
        try {
            if (thrown != null) {
                p.endWithError(start);
                return;
            }
            if (n >= 0) {
                datagramReceived(p, channel, local, remote, n);
            }
            p.end(start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** Exit of an advised classic socket read on probe {@code id}: an error, or the bytes read, and the latency. */
    public static void streamReadDone(int id, Object socket, long start, int n, Throwable thrown) {
        final Probe p = Probes.get(id);
        try {
            if (thrown != null) {
                p.endWithError(start);
                return;
            }
            if (n > 0) {
                socketAdd(p, socket, Slot.BYTES_IN, n);
            }
            p.end(start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * Exit of an advised classic socket write on probe {@code id}, which writes all {@code len} bytes or throws: an
     * error, or the bytes written, and on a sampled call its size and latency.
     */
    public static void streamWriteDone(int id, Object socket, long start, int len, Throwable thrown) {
        final Probe p = Probes.get(id);
        try {
            if (thrown != null) {
                p.endWithError(start);
                return;
            }
            if (len > 0) {
                socketAdd(p, socket, Slot.BYTES_OUT, len);
            }
            if (start != 0L) {
                // sampled with the call's latency
                p.record(Dist.SIZE, len);
                p.end(start);
                wroteSampled(id, cellOf(socket));
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** One kernel write of a classic socket took fewer bytes than asked: a partial write, on its endpoint too. */
    public static void partial(int id, Object socket) {
        final Probe p = Probes.get(id);
        try {
            socketAdd(p, socket, Slot.PARTIAL, 1L);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** A classic socket connected: counted on probe {@code id}, its endpoint probe {@code <prefix> <endpoint>}. */
    public static void socketOpened(int id, Object socket, String prefix, Object endpoint) {
        final Probe p = Probes.get(id);
        try {
            p.increment(Slot.OPENED);
            open(socket, prefix, endpoint);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** A classic server socket accepted {@code socket}: counted on probe {@code id}, named by the listening port. */
    public static void socketAccepted(int id, Object socket, String prefix, int port) {
        final Probe p = Probes.get(id);
        try {
            p.increment(Slot.OPENED);
            openPort(socket, prefix, port);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * A connected classic socket is closing: adopted first if it was marked {@link #PENDING} ({@link #socketCell}),
     * then counted closed on probe {@code id} and on its endpoint. A socket still marked (one that could not be
     * adopted) or marked as the agent's was never counted opened, so neither is its closing, and opened and closed
     * stay balanced.
     */
    public static void socketClosed(int id, Object socket) {
        final Probe p = Probes.get(id);
        try {
            socketCell(socket);
            if (close(socket) >= 0L) {
                p.increment(Slot.CLOSED);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
