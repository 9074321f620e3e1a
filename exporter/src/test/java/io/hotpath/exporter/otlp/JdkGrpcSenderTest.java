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
        final GrpcResponse r = JdkGrpcSender.toGrpc(200, Map.of("content-type", List.of("application/grpc")), body);
        assertThat(r.getStatusCode()).isEqualTo(GrpcStatusCode.OK);
        assertThat(r.getResponseMessage()).containsExactly(8, 1);
    }

    @Test
    void trailersOnlyErrorsAreReadFromTheHeaders() throws Exception {
        final GrpcResponse r = JdkGrpcSender.toGrpc(
                200,
                Map.of("grpc-status", List.of("14"), "grpc-message", List.of("receiver%20overloaded")),
                new byte[0]);
        assertThat(r.getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(r.getStatusDescription()).isEqualTo("receiver overloaded");
    }

    @Test
    void httpErrorsMapToGrpcCodes() throws Exception {
        assertThat(JdkGrpcSender.toGrpc(503, Map.of(), new byte[0]).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(JdkGrpcSender.toGrpc(429, Map.of(), new byte[0]).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(JdkGrpcSender.toGrpc(401, Map.of(), new byte[0]).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAUTHENTICATED);
        assertThat(JdkGrpcSender.toGrpc(500, Map.of(), new byte[0]).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNKNOWN);
    }

    @Test
    void aBodylessResponseWithoutStatusIsUnknown() throws Exception {
        assertThat(JdkGrpcSender.toGrpc(200, Map.of(), new byte[0]).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNKNOWN);
    }
}
