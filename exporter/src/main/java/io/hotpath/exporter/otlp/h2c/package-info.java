/**
 * A small HTTP/2 client for unary requests over cleartext with prior knowledge (h2c), so that OTLP/gRPC reaches
 * {@code http://} endpoints without grpc-java, Netty or OkHttp: frames (RFC 9113), HPACK (RFC 7541), flow control,
 * one persistent connection per endpoint. Used by {@code JdkGrpcSender} for {@code http://} endpoints only.
 */
package io.hotpath.exporter.otlp.h2c;
