package io.hotpath.agent.http;

import io.hotpath.agent.operate.Operations;

/**
 * The JSON API's routes (docs/http-api.md), independent of the server so that every route and every bad request can
 * be tested without a socket. Reads are GET and need no token.
 */
final class Api {
    static final String PREFIX = "/api/";

    private final Operations ops;

    Api(Operations ops) {
        this.ops = ops;
    }

    /**
     * Answers one request.
     *
     * @param method the request method
     * @param rawPath the raw request path, starting with {@link #PREFIX}
     */
    Reply handle(String method, String rawPath) {
        final String route = rawPath.substring(PREFIX.length());
        switch (route) {
            case "dump" -> {
                if (!isRead(method)) {
                    return Reply.badMethod(method, rawPath, "GET, HEAD");
                }
                final String dump = ops.dump();
                return dump == null
                        ? Reply.error(503, "no data yet: the first tick has not run; retry shortly")
                        : Reply.json(dump);
            }
            default -> {
                return Reply.error(404, "no route " + Reply.shown(rawPath) + "; see docs/http-api.md for the routes");
            }
        }
    }

    private static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
