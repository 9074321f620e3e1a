package io.hotpath.exporter.otlp.h2c;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An HPACK decoder (RFC 7541): static table, dynamic table with size updates, Huffman-coded strings. One per
 * connection, fed every header block in the order received — also blocks of streams nobody waits for any more, since
 * the dynamic table is shared state.
 *
 * <p>Strings are bytes mapped one to one onto chars (ISO-8859-1), so an entry's size is its length in octets, as the
 * table's accounting requires. Every block is bounded by the caller ({@code maxHeaderListSize}), so decoding is too.
 */
final class HpackDecoder {
    /** A decoded header field. */
    record Field(String name, String value) {
        int size() {
            return name.length() + value.length() + 32;
        }
    }

    static final String[][] STATIC_TABLE = {
        {":authority", ""},
        {":method", "GET"},
        {":method", "POST"},
        {":path", "/"},
        {":path", "/index.html"},
        {":scheme", "http"},
        {":scheme", "https"},
        {":status", "200"},
        {":status", "204"},
        {":status", "206"},
        {":status", "304"},
        {":status", "400"},
        {":status", "404"},
        {":status", "500"},
        {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"},
        {"accept-language", ""},
        {"accept-ranges", ""},
        {"accept", ""},
        {"access-control-allow-origin", ""},
        {"age", ""},
        {"allow", ""},
        {"authorization", ""},
        {"cache-control", ""},
        {"content-disposition", ""},
        {"content-encoding", ""},
        {"content-language", ""},
        {"content-length", ""},
        {"content-location", ""},
        {"content-range", ""},
        {"content-type", ""},
        {"cookie", ""},
        {"date", ""},
        {"etag", ""},
        {"expect", ""},
        {"expires", ""},
        {"from", ""},
        {"host", ""},
        {"if-match", ""},
        {"if-modified-since", ""},
        {"if-none-match", ""},
        {"if-range", ""},
        {"if-unmodified-since", ""},
        {"last-modified", ""},
        {"link", ""},
        {"location", ""},
        {"max-forwards", ""},
        {"proxy-authenticate", ""},
        {"proxy-authorization", ""},
        {"range", ""},
        {"referer", ""},
        {"refresh", ""},
        {"retry-after", ""},
        {"server", ""},
        {"set-cookie", ""},
        {"strict-transport-security", ""},
        {"transfer-encoding", ""},
        {"user-agent", ""},
        {"vary", ""},
        {"via", ""},
        {"www-authenticate", ""}
    };

    /** The most the peer's encoder may use: our SETTINGS_HEADER_TABLE_SIZE (the default, 4096). */
    private final int maxTableSize;
    /** Newest first. */
    private final ArrayDeque<Field> dynamic = new ArrayDeque<>();

    private int tableSize;
    private int tableCapacity;

    HpackDecoder(int maxTableSize) {
        this.maxTableSize = maxTableSize;
        this.tableCapacity = maxTableSize;
    }

    /** Decodes one complete header block. */
    List<Field> decode(byte[] block, int offset, int length) throws HpackException {
        final List<Field> out = new ArrayList<>();
        final int end = offset + length;
        final int[] pos = {offset};
        boolean fieldSeen = false;
        while (pos[0] < end) {
            final int b = block[pos[0]] & 0xff;
            if ((b & 0x80) != 0) {
                final int index = integer(block, pos, end, 7);
                out.add(field(index));
                fieldSeen = true;
            } else if ((b & 0x40) != 0) {
                final Field f = literal(block, pos, end, 6);
                add(f);
                out.add(f);
                fieldSeen = true;
            } else if ((b & 0x20) != 0) {
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after a header field");
                }
                final int size = integer(block, pos, end, 5);
                if (size > maxTableSize) {
                    throw new HpackException(
                            "dynamic table size update to " + size + " above the allowed " + maxTableSize);
                }
                tableCapacity = size;
                evict(0);
            } else {
                // 0000xxxx without indexing, 0001xxxx never indexed: both leave the table alone.
                out.add(literal(block, pos, end, 4));
                fieldSeen = true;
            }
        }
        return out;
    }

    /** Current size of the dynamic table in octets, as RFC 7541 counts it; for tests. */
    int tableSize() {
        return tableSize;
    }

    /** Entries of the dynamic table, newest first; for tests. */
    List<Field> table() {
        return List.copyOf(dynamic);
    }

    private Field literal(byte[] block, int[] pos, int end, int prefix) throws HpackException {
        final int index = integer(block, pos, end, prefix);
        final String name = index == 0 ? string(block, pos, end) : field(index).name();
        return new Field(name, string(block, pos, end));
    }

    private Field field(int index) throws HpackException {
        if (index <= 0) {
            throw new HpackException("header index 0 is not allowed");
        }
        if (index <= STATIC_TABLE.length) {
            final String[] e = STATIC_TABLE[index - 1];
            return new Field(e[0], e[1]);
        }
        final int d = index - STATIC_TABLE.length - 1;
        if (d >= dynamic.size()) {
            throw new HpackException("header index " + index + " beyond the tables (" + STATIC_TABLE.length
                    + " static, " + dynamic.size() + " dynamic entries)");
        }
        int i = 0;
        for (Field f : dynamic) {
            if (i++ == d) {
                return f;
            }
        }
        throw new HpackException("header index " + index + " not found");
    }

    private void add(Field f) {
        final int size = f.size();
        if (size > tableCapacity) {
            // RFC 7541 4.4: an entry larger than the table empties it and is not added.
            dynamic.clear();
            tableSize = 0;
            return;
        }
        evict(size);
        dynamic.addFirst(f);
        tableSize += size;
    }

    private void evict(int room) {
        while (tableSize + room > tableCapacity && !dynamic.isEmpty()) {
            tableSize -= dynamic.removeLast().size();
        }
    }

    private static String string(byte[] block, int[] pos, int end) throws HpackException {
        if (pos[0] >= end) {
            throw new HpackException("header block ends inside a field");
        }
        final boolean huffman = (block[pos[0]] & 0x80) != 0;
        final int length = integer(block, pos, end, 7);
        if (length > end - pos[0]) {
            throw new HpackException("string of " + length + " bytes runs past the end of the header block");
        }
        final int at = pos[0];
        pos[0] += length;
        if (huffman) {
            return new String(Huffman.decode(block, at, length), StandardCharsets.ISO_8859_1);
        }
        return new String(block, at, length, StandardCharsets.ISO_8859_1);
    }

    /** RFC 7541 5.1: an integer with an {@code prefix}-bit prefix; values above 2^24 are refused. */
    static int integer(byte[] block, int[] pos, int end, int prefix) throws HpackException {
        final int mask = (1 << prefix) - 1;
        int value = block[pos[0]++] & mask;
        if (value < mask) {
            return value;
        }
        int shift = 0;
        while (true) {
            if (pos[0] >= end) {
                throw new HpackException("header block ends inside an integer");
            }
            final int b = block[pos[0]++] & 0xff;
            value += (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                return value;
            }
            if (shift > 21) {
                throw new HpackException("integer too large in header block");
            }
        }
    }
}
