package io.hotpath.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JdkGrpcSenderTest {
    @Test
    void aCompleteMessageIsSuccessEvenThoughTrailersAreUnreadable() throws Exception {
        final byte[] body = {0, 0, 0, 0, 2, 8, 1};
        final GrpcResponse r =
                JdkGrpcSender.toGrpc(200, Map.of("content-type", List.of("application/grpc")), body, null, 1 << 20);
        assertThat(r.getStatusCode()).isEqualTo(GrpcStatusCode.OK);
        assertThat(r.getResponseMessage()).containsExactly(8, 1);
    }

    @Test
    void trailersOnlyErrorsAreReadFromTheHeaders() throws Exception {
        final GrpcResponse r = JdkGrpcSender.toGrpc(
                200,
                Map.of("grpc-status", List.of("14"), "grpc-message", List.of("receiver%20overloaded")),
                new byte[0],
                null,
                1 << 20);
        assertThat(r.getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(r.getStatusDescription()).isEqualTo("receiver overloaded");
    }

    @Test
    void httpErrorsMapToGrpcCodes() throws Exception {
        assertThat(JdkGrpcSender.toGrpc(503, Map.of(), new byte[0], null, 1 << 20)
                        .getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(JdkGrpcSender.toGrpc(429, Map.of(), new byte[0], null, 1 << 20)
                        .getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(JdkGrpcSender.toGrpc(401, Map.of(), new byte[0], null, 1 << 20)
                        .getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAUTHENTICATED);
        assertThat(JdkGrpcSender.toGrpc(500, Map.of(), new byte[0], null, 1 << 20)
                        .getStatusCode())
                .isEqualTo(GrpcStatusCode.UNKNOWN);
    }

    @Test
    void aBodylessResponseWithoutStatusIsUnknown() throws Exception {
        assertThat(JdkGrpcSender.toGrpc(200, Map.of(), new byte[0], null, 1 << 20)
                        .getStatusCode())
                .isEqualTo(GrpcStatusCode.UNKNOWN);
    }

    @Test
    void overCleartextTheStatusComesFromTheTrailers() throws Exception {
        final byte[] body = {0, 0, 0, 0, 2, 8, 1};
        final GrpcResponse ok = JdkGrpcSender.toGrpc(200, Map.of(), body, Map.of("grpc-status", List.of("0")), 1 << 20);
        assertThat(ok.getStatusCode()).isEqualTo(GrpcStatusCode.OK);
        assertThat(ok.getResponseMessage()).containsExactly(8, 1);
        final GrpcResponse unavailable = JdkGrpcSender.toGrpc(
                200,
                Map.of(),
                body,
                Map.of("grpc-status", List.of("14"), "grpc-message", List.of("shutting%20down")),
                1 << 20);
        assertThat(unavailable.getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(unavailable.getStatusDescription()).isEqualTo("shutting down");
        // Trailers-only: the status is in the headers and there are no trailers.
        assertThat(JdkGrpcSender.toGrpc(200, Map.of("grpc-status", List.of("8")), new byte[0], Map.of(), 1 << 20)
                        .getStatusCode())
                .isEqualTo(GrpcStatusCode.RESOURCE_EXHAUSTED);
        // A message but no status anywhere is not a success when trailers are readable.
        assertThat(JdkGrpcSender.toGrpc(200, Map.of(), body, Map.of(), 1 << 20).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNKNOWN);
    }

    @Test
    void aGzipResponseIsBoundedAfterDecompression() throws Exception {
        final java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(zipped)) {
            out.write(new byte[10_000]);
        }
        final byte[] z = zipped.toByteArray();
        final byte[] body = new byte[5 + z.length];
        body[0] = 1;
        body[3] = (byte) (z.length >>> 8);
        body[4] = (byte) z.length;
        System.arraycopy(z, 0, body, 5, z.length);
        final Map<String, List<String>> headers = Map.of("grpc-encoding", List.of("gzip"));
        final Map<String, List<String>> trailers = Map.of("grpc-status", List.of("0"));
        assertThat(JdkGrpcSender.toGrpc(200, headers, body, trailers, 10_000).getResponseMessage())
                .hasSize(10_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> JdkGrpcSender.toGrpc(200, headers, body, trailers, 1_000))
                .hasMessageContaining("larger than 1000 bytes");
    }
}
