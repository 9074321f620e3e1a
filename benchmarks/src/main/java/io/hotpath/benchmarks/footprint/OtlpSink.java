package io.hotpath.benchmarks.footprint;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiver for benchmarks/footprint.sh: accepts OTLP/HTTP posts on 127.0.0.1 and answers 200 with an empty protobuf
 * body (an empty export response), appending one line per request (path, requests and bytes so far) to a file the script reads. It decodes nothing:
 * what it costs must not depend on what it receives. Arguments: port, counts file.
 */
public final class OtlpSink {
    private OtlpSink() {}

    public static void main(String[] args) throws IOException {
        final Path counts = Path.of(args[1]);
        final AtomicLong requests = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 64);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bytes.addAndGet(in.readAllBytes().length);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            final long n = requests.incrementAndGet();
            synchronized (counts) {
                Files.writeString(
                        counts,
                        exchange.getRequestURI().getPath() + " requests=" + n + " bytes=" + bytes.get()
                                + System.lineSeparator(),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        });
        server.start();
        System.out.println("listening " + server.getAddress().getPort());
    }
}
