package io.hotpath.exporter.otlp;

import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context handed to the JDK HTTP client of a cleartext ({@code http://}) OTLP endpoint. The client asks for a
 * context and its default parameters when it is built, whatever the scheme; left to itself it takes the JVM's default
 * context, which loads the trust store and builds a TLS socket: a third of the export's start-up CPU, for a
 * connection that never speaks TLS. This one answers the client's questions with empty parameters and refuses any real
 * TLS use with a message that says why.
 */
final class CleartextSslContext extends SSLContext {
    private static final Provider PROVIDER =
            new Provider("hotpath-cleartext", "1", "stand-in TLS context of cleartext OTLP endpoints") {
                private static final long serialVersionUID = 1L;
            };

    /** The one instance; it holds no state. */
    static final CleartextSslContext INSTANCE = new CleartextSslContext();

    private CleartextSslContext() {
        super(new Spi(), PROVIDER, "cleartext");
    }

    private static final class Spi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {}

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }

        private static IllegalStateException refused() {
            return new IllegalStateException(
                    "TLS requested on a client built for a cleartext http:// OTLP endpoint; use an https:// endpoint");
        }
    }
}
