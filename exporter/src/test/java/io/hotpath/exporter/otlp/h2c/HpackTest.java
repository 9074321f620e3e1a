package io.hotpath.exporter.otlp.h2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HPACK decoder against RFC 7541 Appendix C, and the encoder and Huffman code against the decoder. */
class HpackTest {
    private static List<HpackDecoder.Field> decode(HpackDecoder d, String hex) throws HpackException {
        final byte[] b = HexFormat.of().parseHex(hex);
        return d.decode(b, 0, b.length);
    }

    private static HpackDecoder.Field f(String name, String value) {
        return new HpackDecoder.Field(name, value);
    }

    @Test
    void c2LiteralRepresentations() throws Exception {
        final HpackDecoder d = new HpackDecoder(4096);
        assertThat(decode(d, "400a637573746f6d2d6b65790d637573746f6d2d686561646572"))
                .containsExactly(f("custom-key", "custom-header"));
        assertThat(d.tableSize()).isEqualTo(55);
        assertThat(decode(new HpackDecoder(4096), "040c2f73616d706c652f70617468"))
                .containsExactly(f(":path", "/sample/path"));
        final HpackDecoder never = new HpackDecoder(4096);
        assertThat(decode(never, "100870617373776f726406736563726574")).containsExactly(f("password", "secret"));
        assertThat(never.tableSize()).isZero();
        assertThat(decode(new HpackDecoder(4096), "82")).containsExactly(f(":method", "GET"));
    }

    @Test
    void c3RequestsWithoutHuffman() throws Exception {
        requests(
                "828684410f7777772e6578616d706c652e636f6d",
                "828684be58086e6f2d6361636865",
                "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
    }

    @Test
    void c4RequestsWithHuffman() throws Exception {
        requests(
                "828684418cf1e3c2e5f23a6ba0ab90f4ff",
                "828684be5886a8eb10649cbf",
                "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf");
    }

    private static void requests(String first, String second, String third) throws Exception {
        final HpackDecoder d = new HpackDecoder(4096);
        assertThat(decode(d, first))
                .containsExactly(
                        f(":method", "GET"), f(":scheme", "http"), f(":path", "/"), f(":authority", "www.example.com"));
        assertThat(d.tableSize()).isEqualTo(57);
        assertThat(decode(d, second))
                .containsExactly(
                        f(":method", "GET"),
                        f(":scheme", "http"),
                        f(":path", "/"),
                        f(":authority", "www.example.com"),
                        f("cache-control", "no-cache"));
        assertThat(d.tableSize()).isEqualTo(110);
        assertThat(decode(d, third))
                .containsExactly(
                        f(":method", "GET"),
                        f(":scheme", "https"),
                        f(":path", "/index.html"),
                        f(":authority", "www.example.com"),
                        f("custom-key", "custom-value"));
        assertThat(d.tableSize()).isEqualTo(164);
        assertThat(d.table())
                .containsExactly(
                        f("custom-key", "custom-value"),
                        f("cache-control", "no-cache"),
                        f(":authority", "www.example.com"));
    }

    @Test
    void c5ResponsesWithoutHuffmanEvictAt256() throws Exception {
        responses(
                "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470"
                        + "733a2f2f7777772e6578616d706c652e636f6d",
                "4803333037c1c0bf",
                "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b"
                        + "48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31");
    }

    @Test
    void c6ResponsesWithHuffmanEvictAt256() throws Exception {
        responses(
                "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82"
                        + "ae43d3",
                "4883640effc1c0bf",
                "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5"
                        + "af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007");
    }

    private static void responses(String first, String second, String third) throws Exception {
        final HpackDecoder d = new HpackDecoder(256);
        assertThat(decode(d, first))
                .containsExactly(
                        f(":status", "302"),
                        f("cache-control", "private"),
                        f("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
                        f("location", "https://www.example.com"));
        assertThat(d.tableSize()).isEqualTo(222);
        assertThat(decode(d, second))
                .containsExactly(
                        f(":status", "307"),
                        f("cache-control", "private"),
                        f("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
                        f("location", "https://www.example.com"));
        assertThat(d.tableSize()).isEqualTo(222);
        assertThat(d.table().get(0)).isEqualTo(f(":status", "307"));
        assertThat(decode(d, third))
                .containsExactly(
                        f(":status", "200"),
                        f("cache-control", "private"),
                        f("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
                        f("location", "https://www.example.com"),
                        f("content-encoding", "gzip"),
                        f("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));
        assertThat(d.tableSize()).isEqualTo(215);
        assertThat(d.table())
                .containsExactly(
                        f("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
                        f("content-encoding", "gzip"),
                        f("date", "Mon, 21 Oct 2013 20:13:22 GMT"));
    }

    @Test
    void dynamicTableSizeUpdatesShrinkTheTableAndAreBounded() throws Exception {
        final HpackDecoder d = new HpackDecoder(4096);
        decode(d, "828684418cf1e3c2e5f23a6ba0ab90f4ff");
        assertThat(d.tableSize()).isEqualTo(57);
        // Size update to 0 (evicts everything), then back to 4096, then an indexed field.
        assertThat(decode(d, "203fe11f82")).containsExactly(f(":method", "GET"));
        assertThat(d.tableSize()).isZero();
        assertThatThrownBy(() -> decode(d, "be"))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("index 62");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "3fe21f"))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("4097");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "8220"))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("after a header field");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "80"))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("index 0");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "400a6375"))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("runs past");
    }

    @Test
    void huffmanMatchesTheRfcAndRejectsBadPadding() throws Exception {
        assertThat(HexFormat.of().formatHex(Huffman.encode("www.example.com".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("f1e3c2e5f23a6ba0ab90f4ff");
        assertThat(HexFormat.of().formatHex(Huffman.encode("custom-value".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("25a849e95bb8e8b4bf");
        final byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        final byte[] coded = Huffman.encode(all);
        assertThat(Huffman.decode(coded, 0, coded.length)).isEqualTo(all);
        // "0" is 00000 (5 bits): three ones of padding are fine, zeros are not, a whole byte of ones is too long.
        assertThat(Huffman.decode(new byte[] {0x07}, 0, 1)).containsExactly('0');
        assertThatThrownBy(() -> Huffman.decode(new byte[] {0x00}, 0, 1)).isInstanceOf(HpackException.class);
        assertThatThrownBy(() -> Huffman.decode(new byte[] {0x07, (byte) 0xff}, 0, 2))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("padding");
        // EOS is thirty ones.
        assertThatThrownBy(() -> Huffman.decode(new byte[] {-1, -1, -1, -1}, 0, 4))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("EOS");
    }

    @Test
    void encodedBlocksDecodeToTheSameFields() throws Exception {
        final HpackEncoder e = new HpackEncoder();
        final HpackDecoder d = new HpackDecoder(4096);
        final String longValue = "v".repeat(300);
        final String[] names = {":method", ":path", "authorization", "x-long"};
        final String[] values = {
            "POST", "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "t", longValue
        };
        for (int round = 0; round < 2; round++) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            e.encode(names, values, names.length, out);
            final byte[] b = out.toByteArray();
            assertThat(b[0] == 0x20).as("size update only in the first block").isEqualTo(round == 0);
            assertThat(d.decode(b, 0, b.length))
                    .containsExactly(
                            f(":method", "POST"),
                            f(":path", values[1]),
                            f("authorization", "t"),
                            f("x-long", longValue));
            assertThat(d.tableSize()).isZero();
        }
    }
}
