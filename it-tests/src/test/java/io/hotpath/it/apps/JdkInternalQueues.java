package io.hotpath.it.apps;

import java.net.http.HttpClient;

/** Makes the JDK create queues of its own (the HTTP client's internals), none in application code. */
public final class JdkInternalQueues {
    private JdkInternalQueues() {}

    public static void main(String[] args) {
        final HttpClient client = HttpClient.newHttpClient();
        System.out.println("CLIENT " + (client != null));
    }
}
