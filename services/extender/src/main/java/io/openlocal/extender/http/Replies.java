package io.openlocal.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.openlocal.backend.error.StorageException;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the routes: bodies in, JSON or text out, typed errors to HTTP status. */
final class Replies {

    private Replies() {
    }

    static byte[] body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        return req.content().as(byte[].class);
    }

    static void json(ServerResponse res, byte[] body) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }

    static void text(ServerResponse res, Status status, String message) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send((message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The HTTP status for a typed error; the only place this mapping is made. */
    static Status statusOf(StorageException e) {
        return switch (e.kind()) {
            case INVALID_ARGUMENT -> Status.BAD_REQUEST_400;
            case NOT_FOUND -> Status.NOT_FOUND_404;
            case ALREADY_EXISTS, OUT_OF_CAPACITY, BUSY -> Status.CONFLICT_409;
            case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE_503;
            case UNSUPPORTED -> Status.NOT_IMPLEMENTED_501;
            case INTERNAL -> Status.INTERNAL_SERVER_ERROR_500;
        };
    }
}
