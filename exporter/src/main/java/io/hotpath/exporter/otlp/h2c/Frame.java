package io.hotpath.exporter.otlp.h2c;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/2 frames (RFC 9113 section 4 and 6): constants, and a reader and writer over streams. The reader never holds more
 * than one frame of at most the size we announced (SETTINGS_MAX_FRAME_SIZE); a larger one is a connection error.
 */
final class Frame {
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int FLAG_END_STREAM = 0x1;
    static final int FLAG_ACK = 0x1;
    static final int FLAG_END_HEADERS = 0x4;
    static final int FLAG_PADDED = 0x8;
    static final int FLAG_PRIORITY = 0x20;

    static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
    static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    static final int NO_ERROR = 0x0;
    static final int PROTOCOL_ERROR = 0x1;
    static final int INTERNAL_ERROR = 0x2;
    static final int FLOW_CONTROL_ERROR = 0x3;
    static final int STREAM_CLOSED = 0x5;
    static final int FRAME_SIZE_ERROR = 0x6;
    static final int REFUSED_STREAM = 0x7;
    static final int CANCEL = 0x8;
    static final int COMPRESSION_ERROR = 0x9;

    /** The initial flow-control window of connections and streams, and the initial max frame size. */
    static final int DEFAULT_WINDOW = 65_535;

    static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
    static final int MAX_WINDOW = Integer.MAX_VALUE;

    /** The client connection preface (RFC 9113 3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Frame() {}

    /** The name of an error code, for messages. */
    static String error(long code) {
        final String[] names = {
            "NO_ERROR",
            "PROTOCOL_ERROR",
            "INTERNAL_ERROR",
            "FLOW_CONTROL_ERROR",
            "SETTINGS_TIMEOUT",
            "STREAM_CLOSED",
            "FRAME_SIZE_ERROR",
            "REFUSED_STREAM",
            "CANCEL",
            "COMPRESSION_ERROR",
            "CONNECT_ERROR",
            "ENHANCE_YOUR_CALM",
            "INADEQUATE_SECURITY",
            "HTTP_1_1_REQUIRED"
        };
        return code >= 0 && code < names.length ? names[(int) code] : "error 0x" + Long.toHexString(code);
    }

    /** Writes frames; callers serialize access (one frame is written whole before the next). */
    static final class Writer {
        private final OutputStream out;
        private final byte[] header = new byte[9];

        Writer(OutputStream out) {
            this.out = out;
        }

        void frame(int type, int flags, int stream, byte[] payload, int offset, int length) throws IOException {
            header[0] = (byte) (length >>> 16);
            header[1] = (byte) (length >>> 8);
            header[2] = (byte) length;
            header[3] = (byte) type;
            header[4] = (byte) flags;
            header[5] = (byte) ((stream >>> 24) & 0x7f);
            header[6] = (byte) (stream >>> 16);
            header[7] = (byte) (stream >>> 8);
            header[8] = (byte) stream;
            out.write(header);
            if (length > 0) {
                out.write(payload, offset, length);
            }
        }

        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        void settings(int[] idsAndValues) throws IOException {
            final byte[] p = new byte[idsAndValues.length * 3];
            for (int i = 0, o = 0; i < idsAndValues.length; i += 2, o += 6) {
                p[o] = (byte) (idsAndValues[i] >>> 8);
                p[o + 1] = (byte) idsAndValues[i];
                putInt(p, o + 2, idsAndValues[i + 1]);
            }
            frame(SETTINGS, 0, 0, p, 0, p.length);
        }

        void windowUpdate(int stream, int increment) throws IOException {
            final byte[] p = new byte[4];
            putInt(p, 0, increment & 0x7fffffff);
            frame(WINDOW_UPDATE, 0, stream, p, 0, 4);
        }

        void rstStream(int stream, int error) throws IOException {
            final byte[] p = new byte[4];
            putInt(p, 0, error);
            frame(RST_STREAM, 0, stream, p, 0, 4);
        }

        void goAway(int lastStream, int error) throws IOException {
            final byte[] p = new byte[8];
            putInt(p, 0, lastStream);
            putInt(p, 4, error);
            frame(GOAWAY, 0, 0, p, 0, 8);
        }

        void flush() throws IOException {
            out.flush();
        }
    }

    /** Reads frames one at a time into a buffer it reuses. */
    static final class Reader {
        /** Called while a read waits (the socket's read timeout expired); may throw to give up. */
        interface Idle {
            void idle() throws IOException;
        }

        private final InputStream in;
        private final Idle idle;
        private final byte[] header = new byte[9];
        private byte[] payload;

        int length;
        int type;
        int flags;
        int stream;

        Reader(InputStream in, int maxFrameSize, Idle idle) {
            this.in = in;
            this.idle = idle;
            this.payload = new byte[maxFrameSize];
        }

        /** The payload of the frame last read: {@code payload()[0 .. length)}. */
        byte[] payload() {
            return payload;
        }

        /**
         * Reads the next frame.
         *
         * @throws EOFException when the peer closed the connection between frames
         * @throws H2Exception FRAME_SIZE_ERROR for a frame above the announced size
         */
        void next() throws IOException {
            if (!fill(header, 9, true)) {
                throw new EOFException("connection closed by the peer");
            }
            length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            type = header[3] & 0xff;
            flags = header[4] & 0xff;
            stream = getInt(header, 5) & 0x7fffffff;
            if (length > payload.length) {
                throw new H2Exception(
                        FRAME_SIZE_ERROR,
                        "frame of " + length + " bytes (type " + type + ") above the allowed " + payload.length);
            }
            if (!fill(payload, length, false)) {
                throw new EOFException("connection closed by the peer inside a frame");
            }
        }

        /** The first 9 bytes, for telling an HTTP/1.1 answer from HTTP/2. */
        byte[] rawHeader() {
            return header;
        }

        private boolean fill(byte[] buffer, int count, boolean atBoundary) throws IOException {
            int done = 0;
            while (done < count) {
                final int n;
                try {
                    n = in.read(buffer, done, count - done);
                } catch (SocketTimeoutException e) {
                    idle.idle();
                    continue;
                }
                if (n < 0) {
                    if (atBoundary && done == 0) {
                        return false;
                    }
                    throw new EOFException("connection closed by the peer inside a frame");
                }
                done += n;
            }
            return true;
        }
    }

    static int getInt(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
