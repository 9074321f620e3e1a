package io.hotpath.it.otlp;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test OTLP/gRPC receiver (grpc-java, Netty) on 127.0.0.1, over TLS with a certificate made for the test
 * ({@link TestCertificate}) or over cleartext HTTP/2 (what collectors listen with on 4317). It can be stopped and
 * started again on the same port, and records the request headers it saw.
 */
public final class GrpcOtlpReceiver implements OtlpReceiver {
    private final Received received = new Received();
    private final TestCertificate certificate;
    private final List<String> headerLines = new CopyOnWriteArrayList<>();
    private final Set<String> encodings = ConcurrentHashMap.newKeySet();
    private int port;
    private Server server;

    private GrpcOtlpReceiver(TestCertificate certificate) throws IOException {
        this.certificate = certificate;
        start();
    }

    /** A receiver over TLS with {@code certificate}. */
    public static GrpcOtlpReceiver tls(TestCertificate certificate) throws IOException {
        return new GrpcOtlpReceiver(certificate);
    }

    /** A cleartext receiver. */
    public static GrpcOtlpReceiver cleartext() throws IOException {
        return new GrpcOtlpReceiver(null);
    }

    /** Starts listening (again, on the same port). */
    @Override
    public synchronized GrpcOtlpReceiver start() throws IOException {
        if (server != null) {
            return this;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            final NettyServerBuilder builder = NettyServerBuilder.forAddress(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .addService(ServerInterceptors.intercept(new Metrics(), new Headers()))
                    .addService(ServerInterceptors.intercept(new Logs(), new Headers()));
            if (certificate != null) {
                builder.sslContext(GrpcSslContexts.forServer(
                                certificate.certificatePem().toFile(),
                                certificate.privateKeyPem().toFile())
                        .build());
            }
            try {
                server = builder.build().start();
                port = server.getPort();
                return this;
            } catch (IOException e) { // the old socket may linger for a moment after stop()
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
        throw last;
    }

    /** Stops listening; connections in progress are dropped. */
    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    /** The endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    @Override
    public String endpoint() {
        return (certificate != null ? "https://localhost:" : "http://127.0.0.1:") + port;
    }

    @Override
    public Received received() {
        return received;
    }

    /** Request headers seen, as {@code name: value} lines (names lower case, as HTTP/2 sends them). */
    public List<String> headerLines() {
        return headerLines;
    }

    /** The {@code grpc-encoding} values requests came with. */
    public Set<String> encodings() {
        return encodings;
    }

    @Override
    public void close() {
        stop();
    }

    private final class Headers implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            for (String key : headers.keys()) {
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    final String value = headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
                    headerLines.add(key + ": " + value);
                    if (key.equals("grpc-encoding")) {
                        encodings.add(value);
                    }
                }
            }
            return next.startCall(call, headers);
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
