package io.hotpath.it.otlp;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A test OTLP/gRPC receiver (grpc-java, Netty) on 127.0.0.1, over TLS with a certificate made for the test
 * ({@link TestCertificate}) or, to check the agent's refusal, over cleartext.
 */
public final class GrpcOtlpReceiver implements AutoCloseable {
    private final Received received = new Received();
    private final Server server;
    private final boolean tls;

    private GrpcOtlpReceiver(TestCertificate certificate) throws IOException {
        final NettyServerBuilder builder = NettyServerBuilder.forAddress(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new Metrics())
                .addService(new Logs());
        if (certificate != null) {
            builder.sslContext(GrpcSslContexts.forServer(
                            certificate.certificatePem().toFile(),
                            certificate.privateKeyPem().toFile())
                    .build());
        }
        this.tls = certificate != null;
        this.server = builder.build().start();
    }

    /** A receiver over TLS with {@code certificate}. */
    public static GrpcOtlpReceiver tls(TestCertificate certificate) throws IOException {
        return new GrpcOtlpReceiver(certificate);
    }

    /** A cleartext receiver. */
    public static GrpcOtlpReceiver cleartext() throws IOException {
        return new GrpcOtlpReceiver(null);
    }

    /** The endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    public String endpoint() {
        return (tls ? "https://localhost:" : "http://127.0.0.1:") + server.getPort();
    }

    public Received received() {
        return received;
    }

    @Override
    public void close() {
        try {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
            received.add(request);
            response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    private final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
        @Override
        public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> response) {
            received.add(request);
            response.onNext(ExportLogsServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    /** Files of a self-signed certificate for {@code localhost} / 127.0.0.1. */
    public record TestCertificate(Path certificatePem, Path privateKeyPem) {
        /** Makes one with the JDK's keytool into {@code dir}. */
        public static TestCertificate create(Path dir) throws Exception {
            final Path store = dir.resolve("receiver.p12");
            final char[] pass = "changeit".toCharArray();
            final String keytool =
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            final Process p = new ProcessBuilder(
                            keytool,
                            "-genkeypair",
                            "-alias",
                            "receiver",
                            "-keyalg",
                            "EC",
                            "-groupname",
                            "secp256r1",
                            "-dname",
                            "CN=localhost",
                            "-ext",
                            "SAN=dns:localhost,ip:127.0.0.1",
                            "-validity",
                            "2",
                            "-keystore",
                            store.toString(),
                            "-storetype",
                            "PKCS12",
                            "-storepass",
                            new String(pass))
                    .redirectErrorStream(true)
                    .start();
            final String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            final java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(store)) {
                ks.load(in, pass);
            }
            final Path cert = dir.resolve("receiver-cert.pem");
            final Path key = dir.resolve("receiver-key.pem");
            java.nio.file.Files.writeString(
                    cert, pem("CERTIFICATE", ks.getCertificate("receiver").getEncoded()));
            java.nio.file.Files.writeString(
                    key, pem("PRIVATE KEY", ks.getKey("receiver", pass).getEncoded()));
            return new TestCertificate(cert, key);
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }
}
