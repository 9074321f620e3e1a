package io.hotpath.exporter.otlp.h2c;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One HTTP/2 connection over cleartext TCP with prior knowledge (RFC 9113 3.3), as a client making unary requests.
 *
 * <p><b>Threads.</b> Callers (the exporter's sender threads) write their own HEADERS and DATA frames and wait for their
 * stream to complete; one daemon reader thread per connection reads every frame, answers SETTINGS and PING, returns
 * flow-control credit, and completes streams. The reader never waits for the write lock: the frames it must send go
 * through a small queue that whoever holds the lock drains, so a caller stuck in a socket write cannot stall reading.
 * A write still in progress past its caller's deadline makes the reader close the socket, which ends that write.
 *
 * <p><b>Flow control.</b> DATA is sent only within both the connection's and the stream's window as the peer announced
 * them (initial window, WINDOW_UPDATE, SETTINGS changes applied to open streams, even below zero), in frames no larger
 * than the peer's SETTINGS_MAX_FRAME_SIZE. Received DATA is credited back once half a window is consumed.
 *
 * <p><b>Memory.</b> One frame buffer of 16 KiB, header blocks up to {@link #MAX_HEADER_LIST} bytes (larger is a
 * connection error), a response body up to the configured cap (larger resets the stream), at most
 * {@link #MAX_QUEUED_CONTROL} queued control frames (more and the peer is flooding: the connection is closed).
 */
final class H2cConnection {
    /** What we announce as SETTINGS_MAX_HEADER_LIST_SIZE and enforce on header blocks. */
    static final int MAX_HEADER_LIST = 64 * 1024;

    static final int MAX_QUEUED_CONTROL = 64;

    /** Our receive windows, connection and stream: responses are small, but a large one need not stall. */
    static final int RECEIVE_WINDOW = 1 << 20;

    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    /** How often the reader wakes up while nothing arrives, to check for a stuck write. */
    private static final int READ_TICK_MILLIS = 250;

    /** A finished exchange. {@code trailers} is empty for a trailers-only response or one without trailers. */
    record Response(int status, Map<String, List<String>> headers, byte[] body, Map<String, List<String>> trailers) {}

    /** One request/response exchange. Guarded by the connection's monitor. */
    private static final class Stream {
        final int id;
        long sendWindow;
        int receiveWindow = RECEIVE_WINDOW;
        int receiveUnacked;
        int status;
        Map<String, List<String>> headers;
        Map<String, List<String>> trailers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean done;
        IOException failure;

        Stream(int id, long sendWindow) {
            this.id = id;
            this.sendWindow = sendWindow;
        }
    }

    private final String authority;
    private final int maxResponseBytes;
    private final Socket socket;
    private final Frame.Writer writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<byte[]> control = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedControl = new AtomicInteger();
    private final HpackEncoder encoder = new HpackEncoder();
    private final HpackDecoder decoder = new HpackDecoder(4096);
    private final Frame.Reader reader;

    // Guarded by this.
    private final Map<Integer, Stream> streams = new HashMap<>();
    private int nextStreamId = 1;
    private long sendWindow = Frame.DEFAULT_WINDOW;
    private long peerInitialWindow = Frame.DEFAULT_WINDOW;
    private int peerMaxFrameSize = Frame.DEFAULT_MAX_FRAME_SIZE;
    private long peerMaxStreams = Long.MAX_VALUE;
    private boolean settingsReceived;
    private boolean goingAway;
    private IOException closed;

    /** Set by a caller around a socket write; read by the reader thread to spot a stuck one. */
    private volatile boolean writing;

    private volatile long writeDeadline;

    // Reader thread only.
    private int receiveWindow = RECEIVE_WINDOW;
    private int receiveUnacked;
    private int continuationStream;
    private int continuationFlags;
    private final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();

    private H2cConnection(String authority, Socket socket, int maxResponseBytes) throws IOException {
        this.authority = authority;
        this.socket = socket;
        this.maxResponseBytes = maxResponseBytes;
        this.writer = new Frame.Writer(new BufferedOutputStream(socket.getOutputStream(), 16 * 1024 + 9));
        final InputStream in = socket.getInputStream();
        this.reader = new Frame.Reader(in, Frame.DEFAULT_MAX_FRAME_SIZE, this::idle);
    }

    /**
     * Connects, sends the preface and our SETTINGS, and waits for the peer's SETTINGS.
     *
     * @param deadline {@link System#nanoTime()} by which the connection must be ready
     * @throws java.net.ConnectException when nothing listens
     * @throws HttpConnectTimeoutException when the TCP connect or the peer's SETTINGS take too long
     */
    static H2cConnection open(
            String host, int port, long connectTimeoutNanos, long deadline, int maxResponseBytes, ThreadFactory threads)
            throws IOException, InterruptedException {
        final String authority = host + ":" + port;
        final long budget = Math.min(connectTimeoutNanos, deadline - System.nanoTime());
        if (budget <= 0) {
            throw new HttpConnectTimeoutException("no time left to connect to " + authority);
        }
        final long ready = System.nanoTime() + budget;
        final Socket socket = new Socket();
        final H2cConnection c;
        try {
            socket.setTcpNoDelay(true);
            try {
                socket.connect(
                        new InetSocketAddress(host, port), (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budget)));
            } catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("connect to " + authority + " timed out");
            }
            socket.setSoTimeout(READ_TICK_MILLIS);
            c = new H2cConnection(authority, socket, maxResponseBytes);
            c.writeLock.lock();
            try {
                c.writer.raw(Frame.PREFACE);
                c.writer.settings(new int[] {
                    Frame.SETTINGS_ENABLE_PUSH, 0,
                    Frame.SETTINGS_INITIAL_WINDOW_SIZE, RECEIVE_WINDOW,
                    Frame.SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST
                });
                c.writer.windowUpdate(0, RECEIVE_WINDOW - Frame.DEFAULT_WINDOW);
                c.writer.flush();
            } finally {
                c.writeLock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        final Thread t = threads.newThread(c::readLoop);
        t.setName("hotpath-otlp-h2c-" + CONNECTIONS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        try {
            synchronized (c) {
                while (!c.settingsReceived && c.closed == null) {
                    final long left = ready - System.nanoTime();
                    if (left <= 0) {
                        c.close(new HttpConnectTimeoutException("no HTTP/2 SETTINGS from " + authority + " within "
                                + TimeUnit.NANOSECONDS.toMillis(budget) + " ms; is it a gRPC endpoint?"));
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(c, left);
                }
                if (c.closed != null) {
                    throw c.closed;
                }
            }
        } catch (InterruptedException e) {
            c.close(new IOException("interrupted while connecting to " + authority));
            throw e;
        }
        return c;
    }

    /** Whether new requests may start on this connection. */
    synchronized boolean usable() {
        return closed == null && !goingAway && nextStreamId < Integer.MAX_VALUE - 2;
    }

    /**
     * Sends one request and waits for its response.
     *
     * @param names lower-case header names, pseudo-headers first
     * @param deadline {@link System#nanoTime()} by which the response must be complete
     * @throws HttpTimeoutException when the deadline passes (the stream is then cancelled)
     * @throws IOException when the connection fails or the peer resets the stream; the request may be retried
     */
    Response exchange(String[] names, String[] values, int count, byte[] body, long deadline)
            throws IOException, InterruptedException {
        final ByteArrayOutputStream block = new ByteArrayOutputStream(256);
        synchronized (this) {
            // Outside the write lock, which the streams in progress need to finish. Another caller may take the slot
            // before we write; the peer then refuses the stream and the request is sent again.
            while (closed == null && streams.size() >= peerMaxStreams) {
                awaitUntil(deadline, null);
            }
        }
        final Stream s;
        lockForWrite(deadline);
        try {
            synchronized (this) {
                if (closed != null) {
                    throw closed;
                }
                if (goingAway) {
                    throw new IOException("connection to " + authority + " is closing (GOAWAY)");
                }
                s = new Stream(nextStreamId, peerInitialWindow);
                nextStreamId += 2;
                streams.put(s.id, s);
            }
            encoder.encode(names, values, count, block);
            writeHeaders(s.id, block.toByteArray(), body.length == 0, deadline);
        } finally {
            unlockForWrite();
        }
        try {
            sendBody(s, body, deadline);
            return awaitResponse(s, deadline);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cancel(s);
            throw e;
        }
    }

    private void writeHeaders(int stream, byte[] block, boolean endStream, long deadline) throws IOException {
        final int max;
        synchronized (this) {
            max = peerMaxFrameSize;
        }
        int offset = 0;
        boolean firstFrame = true;
        do {
            final int n = Math.min(max, block.length - offset);
            final boolean last = offset + n == block.length;
            final int flags =
                    (last ? Frame.FLAG_END_HEADERS : 0) | (firstFrame && endStream ? Frame.FLAG_END_STREAM : 0);
            write(firstFrame ? Frame.HEADERS : Frame.CONTINUATION, flags, stream, block, offset, n, deadline);
            offset += n;
            firstFrame = false;
        } while (offset < block.length);
        flush(deadline);
    }

    private void sendBody(Stream s, byte[] body, long deadline) throws IOException, InterruptedException {
        int offset = 0;
        while (offset < body.length) {
            final int n;
            synchronized (this) {
                while (true) {
                    if (closed != null) {
                        throw closed;
                    }
                    if (s.failure != null) {
                        throw s.failure;
                    }
                    if (s.done) {
                        // The peer answered before reading everything (an error, typically): nothing more to send,
                        // and our half of the stream is closed with a reset.
                        final byte[] p = new byte[4];
                        Frame.putInt(p, 0, Frame.CANCEL);
                        queueControl(Frame.RST_STREAM, 0, s.id, p);
                        return;
                    }
                    final long window = Math.min(sendWindow, s.sendWindow);
                    if (window > 0) {
                        n = (int) Math.min(Math.min(window, peerMaxFrameSize), body.length - offset);
                        sendWindow -= n;
                        s.sendWindow -= n;
                        break;
                    }
                    awaitUntil(deadline, s);
                }
            }
            final boolean last = offset + n == body.length;
            lockForWrite(deadline);
            try {
                write(Frame.DATA, last ? Frame.FLAG_END_STREAM : 0, s.id, body, offset, n, deadline);
                // Every frame goes out at once: the peer hands back window only for what it received.
                flush(deadline);
            } finally {
                unlockForWrite();
            }
            offset += n;
        }
    }

    private synchronized Response awaitResponse(Stream s, long deadline) throws IOException, InterruptedException {
        while (!s.done) {
            if (s.failure != null) {
                throw s.failure;
            }
            if (closed != null) {
                throw closed;
            }
            awaitUntil(deadline, s);
        }
        return new Response(s.status, s.headers, s.body.toByteArray(), s.trailers == null ? Map.of() : s.trailers);
    }

    /** Waits on this monitor until notified or the deadline; throws once the deadline passed. */
    private void awaitUntil(long deadline, Stream s) throws InterruptedException, HttpTimeoutException {
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new HttpTimeoutException(
                    "gRPC call to " + authority + " timed out" + (s == null ? " waiting for a free stream" : ""));
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
    }

    /** Forgets a stream the caller gives up on, and resets it unless it completed. */
    private void cancel(Stream s) {
        final boolean reset;
        synchronized (this) {
            reset = streams.remove(s.id) != null && !s.done && closed == null;
            if (goingAway && streams.isEmpty()) {
                close(new IOException("connection to " + authority + " closed after GOAWAY"));
            }
        }
        if (reset) {
            final byte[] p = new byte[4];
            Frame.putInt(p, 0, Frame.CANCEL);
            queueControl(Frame.RST_STREAM, 0, s.id, p);
        }
    }

    // ------------------------------------------------------------------ writing

    private void lockForWrite(long deadline) throws IOException, InterruptedException {
        final long left = deadline - System.nanoTime();
        if (left <= 0 || !writeLock.tryLock(left, TimeUnit.NANOSECONDS)) {
            throw new HttpTimeoutException("gRPC call to " + authority + " timed out waiting to write");
        }
        try {
            drainControl();
        } catch (IOException | RuntimeException e) {
            writeLock.unlock();
            throw e;
        }
    }

    private void unlockForWrite() {
        writeLock.unlock();
        // A control frame queued while we held the lock would otherwise wait for the next writer.
        if (!control.isEmpty() && writeLock.tryLock()) {
            try {
                drainControl();
                writer.flush();
            } catch (IOException e) {
                close(e);
            } finally {
                writeLock.unlock();
            }
        }
    }

    private void write(int type, int flags, int stream, byte[] p, int offset, int length, long deadline)
            throws IOException {
        writeDeadline = deadline;
        writing = true;
        try {
            writer.frame(type, flags, stream, p, offset, length);
        } catch (IOException e) {
            throw failedWrite(e);
        } finally {
            writing = false;
        }
    }

    private void flush(long deadline) throws IOException {
        writeDeadline = deadline;
        writing = true;
        try {
            writer.flush();
        } catch (IOException e) {
            throw failedWrite(e);
        } finally {
            writing = false;
        }
    }

    private IOException failedWrite(IOException e) {
        final IOException failure = new IOException("writing to " + authority + " failed: " + e.getMessage(), e);
        close(failure);
        synchronized (this) {
            return closed;
        }
    }

    /** Queues a frame from the reader thread, and writes it now if nobody else is writing. */
    private void queueControl(int type, int flags, int stream, byte[] payload) {
        if (queuedControl.incrementAndGet() > MAX_QUEUED_CONTROL) {
            close(new IOException("HTTP/2 peer " + authority + " is not reading while it keeps asking for"
                    + " answers (more than " + MAX_QUEUED_CONTROL + " queued control frames)"));
            return;
        }
        final byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        Frame.putInt(frame, 5, stream & 0x7fffffff);
        System.arraycopy(payload, 0, frame, 9, payload.length);
        control.add(frame);
        if (writeLock.tryLock()) {
            try {
                drainControl();
                writer.flush();
            } catch (IOException e) {
                close(e);
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Writes queued control frames; the caller holds the write lock. */
    private void drainControl() throws IOException {
        byte[] frame;
        while ((frame = control.poll()) != null) {
            queuedControl.decrementAndGet();
            writer.raw(frame);
        }
    }

    // ------------------------------------------------------------------ reading

    private void readLoop() {
        try {
            reader.next();
            if (reader.type != Frame.SETTINGS || (reader.flags & Frame.FLAG_ACK) != 0) {
                throw new H2Exception(Frame.PROTOCOL_ERROR, "the first frame from the peer is not SETTINGS");
            }
            handle();
            while (true) {
                reader.next();
                handle();
            }
        } catch (H2Exception e) {
            final byte[] head = reader.rawHeader();
            if (new String(head, 0, 5, StandardCharsets.ISO_8859_1).equals("HTTP/")) {
                close(new IOException(authority + " answered with HTTP/1.x, not HTTP/2: an OTLP/HTTP port? (OTLP/gRPC"
                        + " receivers listen on 4317)"));
                return;
            }
            final byte[] p = new byte[8];
            Frame.putInt(p, 0, 0);
            Frame.putInt(p, 4, e.code());
            queueControl(Frame.GOAWAY, 0, 0, p);
            close(new IOException(
                    "HTTP/2 " + Frame.error(e.code()) + " on the connection to " + authority + ": " + e.getMessage()));
        } catch (IOException e) {
            close(closedByPeer(e));
        } catch (RuntimeException | Error e) {
            close(new IOException("HTTP/2 connection to " + authority + " failed: " + e, e));
        }
    }

    private IOException closedByPeer(IOException e) {
        synchronized (this) {
            if (closed != null) {
                return closed;
            }
        }
        return new IOException("connection to " + authority + " lost: " + e.getMessage(), e);
    }

    /** Called by the reader while no data arrives: a caller's write stuck past its deadline ends the connection. */
    private void idle() throws IOException {
        if (writing && System.nanoTime() - writeDeadline > 0) {
            final IOException stuck =
                    new HttpTimeoutException("gRPC call to " + authority + " timed out: the receiver stopped reading");
            close(stuck);
            throw stuck;
        }
        synchronized (this) {
            if (closed != null) {
                throw closed;
            }
        }
    }

    private void handle() throws IOException {
        final int type = reader.type;
        final int flags = reader.flags;
        final int stream = reader.stream;
        final int length = reader.length;
        final byte[] p = reader.payload();
        if (continuationStream != 0 && type != Frame.CONTINUATION) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "frame type " + type + " inside a header block");
        }
        switch (type) {
            case Frame.DATA -> data(stream, flags, p, length);
            case Frame.HEADERS -> headers(stream, flags, p, length);
            case Frame.CONTINUATION -> continuation(stream, flags, p, length);
            case Frame.RST_STREAM -> {
                if (stream == 0) {
                    throw new H2Exception(Frame.PROTOCOL_ERROR, "RST_STREAM on stream 0");
                }
                if (length != 4) {
                    throw new H2Exception(Frame.FRAME_SIZE_ERROR, "RST_STREAM of " + length + " bytes");
                }
                final long code = Frame.getInt(p, 0) & 0xffffffffL;
                fail(stream, new IOException("HTTP/2 stream reset by " + authority + ": " + Frame.error(code)));
            }
            case Frame.SETTINGS -> settings(stream, flags, p, length);
            case Frame.PUSH_PROMISE -> throw new H2Exception(Frame.PROTOCOL_ERROR, "PUSH_PROMISE though push is off");
            case Frame.PING -> {
                if (stream != 0) {
                    throw new H2Exception(Frame.PROTOCOL_ERROR, "PING on stream " + stream);
                }
                if (length != 8) {
                    throw new H2Exception(Frame.FRAME_SIZE_ERROR, "PING of " + length + " bytes");
                }
                if ((flags & Frame.FLAG_ACK) == 0) {
                    queueControl(Frame.PING, Frame.FLAG_ACK, 0, java.util.Arrays.copyOf(p, 8));
                }
            }
            case Frame.GOAWAY -> goAway(stream, p, length);
            case Frame.WINDOW_UPDATE -> windowUpdate(stream, p, length);
            default -> {
                // PRIORITY and unknown frame types are ignored (RFC 9113 4.1, 5.3.2).
            }
        }
    }

    private void data(int stream, int flags, byte[] p, int length) throws IOException {
        if (stream == 0) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "DATA on stream 0");
        }
        receiveWindow -= length;
        if (receiveWindow < 0) {
            throw new H2Exception(Frame.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
        }
        receiveUnacked += length;
        if (receiveUnacked >= RECEIVE_WINDOW / 2) {
            creditBack(0, receiveUnacked);
            receiveWindow += receiveUnacked;
            receiveUnacked = 0;
        }
        final int pad = padding(flags, p, length);
        final int offset = (flags & Frame.FLAG_PADDED) != 0 ? 1 : 0;
        final int dataLength = length - offset - pad;
        IOException failure = null;
        int credit = 0;
        synchronized (this) {
            final Stream s = streams.get(stream);
            if (s == null || s.done) {
                return;
            }
            if (s.headers == null) {
                failure = new IOException("HTTP/2 DATA before HEADERS from " + authority);
            } else {
                s.receiveWindow -= length;
                if (s.receiveWindow < 0) {
                    failure = new IOException("HTTP/2 DATA beyond the stream window from " + authority);
                } else if (s.body.size() + dataLength > maxResponseBytes) {
                    failure = new IOException(
                            "gRPC response from " + authority + " larger than " + maxResponseBytes + " bytes");
                } else {
                    s.body.write(p, offset, dataLength);
                    if ((flags & Frame.FLAG_END_STREAM) != 0) {
                        complete(s);
                    } else {
                        s.receiveUnacked += length;
                        if (s.receiveUnacked >= RECEIVE_WINDOW / 2) {
                            credit = s.receiveUnacked;
                            s.receiveWindow += credit;
                            s.receiveUnacked = 0;
                        }
                    }
                }
            }
        }
        if (failure != null) {
            resetAndFail(stream, Frame.CANCEL, failure);
        } else if (credit > 0) {
            creditBack(stream, credit);
        }
    }

    private void headers(int stream, int flags, byte[] p, int length) throws IOException {
        if (stream == 0) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "HEADERS on stream 0");
        }
        int offset = (flags & Frame.FLAG_PADDED) != 0 ? 1 : 0;
        final int pad = padding(flags, p, length);
        if ((flags & Frame.FLAG_PRIORITY) != 0) {
            offset += 5;
        }
        final int blockLength = length - offset - pad;
        if (blockLength < 0) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "HEADERS frame too short for its padding and priority");
        }
        headerBlock.reset();
        appendBlock(p, offset, blockLength);
        if ((flags & Frame.FLAG_END_HEADERS) != 0) {
            headerBlockDone(stream, flags);
        } else {
            continuationStream = stream;
            continuationFlags = flags;
        }
    }

    private void continuation(int stream, int flags, byte[] p, int length) throws IOException {
        if (continuationStream == 0 || stream != continuationStream) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "CONTINUATION on stream " + stream + " without HEADERS");
        }
        appendBlock(p, 0, length);
        if ((flags & Frame.FLAG_END_HEADERS) != 0) {
            continuationStream = 0;
            headerBlockDone(stream, continuationFlags);
        }
    }

    private void appendBlock(byte[] p, int offset, int length) throws H2Exception {
        if (headerBlock.size() + length > MAX_HEADER_LIST) {
            // The block must be decoded to keep the HPACK table in step, so there is no skipping it: end here.
            throw new H2Exception(Frame.PROTOCOL_ERROR, "header block larger than " + MAX_HEADER_LIST + " bytes");
        }
        headerBlock.write(p, offset, length);
    }

    private void headerBlockDone(int stream, int flags) throws IOException {
        final byte[] block = headerBlock.toByteArray();
        headerBlock.reset();
        final List<HpackDecoder.Field> fields;
        try {
            fields = decoder.decode(block, 0, block.length);
        } catch (HpackException e) {
            throw new H2Exception(Frame.COMPRESSION_ERROR, e.getMessage());
        }
        final boolean end = (flags & Frame.FLAG_END_STREAM) != 0;
        IOException failure = null;
        synchronized (this) {
            final Stream s = streams.get(stream);
            if (s == null || s.done) {
                return;
            }
            final Map<String, List<String>> map = new LinkedHashMap<>();
            String status = null;
            for (HpackDecoder.Field f : fields) {
                if (f.name().equals(":status")) {
                    status = f.value();
                } else {
                    map.computeIfAbsent(f.name(), k -> new ArrayList<>(1)).add(f.value());
                }
            }
            if (s.headers == null) {
                final int code = parseStatus(status);
                if (code < 0) {
                    failure = new IOException("HTTP/2 response from " + authority + " without a valid :status");
                } else if (code >= 100 && code < 200 && !end) {
                    return; // informational; the real response follows
                } else {
                    s.status = code;
                    s.headers = map;
                    if (end) {
                        complete(s);
                    }
                }
            } else if (!end) {
                failure = new IOException("HTTP/2 trailers from " + authority + " without END_STREAM");
            } else {
                s.trailers = map;
                complete(s);
            }
        }
        if (failure != null) {
            resetAndFail(stream, Frame.PROTOCOL_ERROR, failure);
        }
    }

    private static int parseStatus(String status) {
        if (status == null || status.length() != 3) {
            return -1;
        }
        try {
            return Integer.parseInt(status);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void settings(int stream, int flags, byte[] p, int length) throws IOException {
        if (stream != 0) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "SETTINGS on stream " + stream);
        }
        if ((flags & Frame.FLAG_ACK) != 0) {
            if (length != 0) {
                throw new H2Exception(Frame.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
            }
            return;
        }
        if (length % 6 != 0) {
            throw new H2Exception(Frame.FRAME_SIZE_ERROR, "SETTINGS of " + length + " bytes");
        }
        synchronized (this) {
            for (int o = 0; o < length; o += 6) {
                final int id = ((p[o] & 0xff) << 8) | (p[o + 1] & 0xff);
                final long value = Frame.getInt(p, o + 2) & 0xffffffffL;
                switch (id) {
                    case Frame.SETTINGS_MAX_CONCURRENT_STREAMS -> peerMaxStreams = value;
                    case Frame.SETTINGS_INITIAL_WINDOW_SIZE -> {
                        if (value > Frame.MAX_WINDOW) {
                            throw new H2Exception(
                                    Frame.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + value + " too large");
                        }
                        final long delta = value - peerInitialWindow;
                        peerInitialWindow = value;
                        for (Stream s : streams.values()) {
                            s.sendWindow += delta;
                            if (s.sendWindow > Frame.MAX_WINDOW) {
                                throw new H2Exception(Frame.FLOW_CONTROL_ERROR, "stream window above 2^31-1");
                            }
                        }
                    }
                    case Frame.SETTINGS_MAX_FRAME_SIZE -> {
                        if (value < Frame.DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) {
                            throw new H2Exception(Frame.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
                        }
                        peerMaxFrameSize = (int) value;
                    }
                    case Frame.SETTINGS_ENABLE_PUSH -> {
                        if (value > 1) {
                            throw new H2Exception(Frame.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value);
                        }
                    }
                    default -> {
                        // HEADER_TABLE_SIZE: our encoder's table is empty whatever the size; the rest are advisory.
                    }
                }
            }
            settingsReceived = true;
            notifyAll();
        }
        queueControl(Frame.SETTINGS, Frame.FLAG_ACK, 0, new byte[0]);
    }

    private void goAway(int stream, byte[] p, int length) throws IOException {
        if (stream != 0) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "GOAWAY on stream " + stream);
        }
        if (length < 8) {
            throw new H2Exception(Frame.FRAME_SIZE_ERROR, "GOAWAY of " + length + " bytes");
        }
        final int last = Frame.getInt(p, 0) & 0x7fffffff;
        final long code = Frame.getInt(p, 4) & 0xffffffffL;
        synchronized (this) {
            goingAway = true;
            for (Stream s : new ArrayList<>(streams.values())) {
                if (s.id > last && !s.done) {
                    // Not processed by the peer (RFC 9113 6.8): safe to send again on a new connection.
                    s.failure = new IOException("connection to " + authority + " going away (GOAWAY "
                            + Frame.error(code) + ") before the request was processed");
                    streams.remove(s.id);
                }
            }
            if (streams.isEmpty()) {
                close(new IOException(
                        "connection to " + authority + " closed by the peer (GOAWAY " + Frame.error(code) + ")"));
            }
            notifyAll();
        }
    }

    private void windowUpdate(int stream, byte[] p, int length) throws IOException {
        if (length != 4) {
            throw new H2Exception(Frame.FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + length + " bytes");
        }
        final int increment = Frame.getInt(p, 0) & 0x7fffffff;
        IOException failure = null;
        synchronized (this) {
            if (stream == 0) {
                if (increment == 0) {
                    throw new H2Exception(Frame.PROTOCOL_ERROR, "WINDOW_UPDATE of 0 on the connection");
                }
                sendWindow += increment;
                if (sendWindow > Frame.MAX_WINDOW) {
                    throw new H2Exception(Frame.FLOW_CONTROL_ERROR, "connection window above 2^31-1");
                }
            } else {
                final Stream s = streams.get(stream);
                if (s != null) {
                    s.sendWindow += increment;
                    if (increment == 0) {
                        failure = new IOException("HTTP/2 WINDOW_UPDATE of 0 from " + authority);
                    } else if (s.sendWindow > Frame.MAX_WINDOW) {
                        failure = new IOException("HTTP/2 stream window above 2^31-1 from " + authority);
                    }
                }
            }
            notifyAll();
        }
        if (failure != null) {
            resetAndFail(
                    stream,
                    failure.getMessage().contains("of 0") ? Frame.PROTOCOL_ERROR : Frame.FLOW_CONTROL_ERROR,
                    failure);
        }
    }

    private static int padding(int flags, byte[] p, int length) throws H2Exception {
        if ((flags & Frame.FLAG_PADDED) == 0) {
            return 0;
        }
        if (length < 1 || (p[0] & 0xff) >= length) {
            throw new H2Exception(Frame.PROTOCOL_ERROR, "padding longer than the frame");
        }
        return p[0] & 0xff;
    }

    private void creditBack(int stream, int increment) {
        final byte[] p = new byte[4];
        Frame.putInt(p, 0, increment);
        queueControl(Frame.WINDOW_UPDATE, 0, stream, p);
    }

    /** Completes a stream; the caller holds this monitor. */
    private void complete(Stream s) {
        s.done = true;
        streams.remove(s.id);
        notifyAll();
        if (goingAway && streams.isEmpty()) {
            close(new IOException("connection to " + authority + " closed after GOAWAY"));
        }
    }

    private void fail(int stream, IOException failure) {
        synchronized (this) {
            final Stream s = streams.remove(stream);
            if (s != null && !s.done) {
                s.failure = failure;
            }
            notifyAll();
        }
    }

    private void resetAndFail(int stream, int code, IOException failure) {
        fail(stream, failure);
        final byte[] p = new byte[4];
        Frame.putInt(p, 0, code);
        queueControl(Frame.RST_STREAM, 0, stream, p);
    }

    // ------------------------------------------------------------------ closing

    /** Closes the connection: streams in progress fail with {@code cause}, later requests need a new connection. */
    void close(IOException cause) {
        synchronized (this) {
            if (closed != null) {
                return;
            }
            closed = cause;
            for (Stream s : streams.values()) {
                if (!s.done && s.failure == null) {
                    s.failure = cause;
                }
            }
            streams.clear();
            notifyAll();
        }
        // Best effort: a GOAWAY queued above goes out if the lock is free; the socket closes either way.
        if (writeLock.tryLock()) {
            try {
                drainControl();
                writer.flush();
            } catch (IOException ignored) {
                // closing anyway
            } finally {
                writeLock.unlock();
            }
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** Ends the connection politely: GOAWAY(NO_ERROR), then close. */
    void shutdown() {
        final byte[] p = new byte[8];
        queueControl(Frame.GOAWAY, 0, 0, p);
        close(new IOException("connection to " + authority + " shut down"));
    }
}
