package io.openlocal.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of the API-server emulator that answers the first {@code n} PUTs on a status
 * subresource with 409 Conflict, as a real API server answers a write with a stale resourceVersion. Needed
 * because the emulator does not check resourceVersion on {@code /status} (it does on the main resource).
 * Plain request/response only: no watches through it.
 */
public final class ConflictProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "upgrade",
            "transfer-encoding", "expect");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;
    private final AtomicInteger conflictsLeft;
    private final AtomicInteger conflictsSent = new AtomicInteger();

    public ConflictProxy(String target, int conflicts) throws IOException {
        this.target = target;
        this.conflictsLeft = new AtomicInteger(conflicts);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int conflictsSent() {
        return conflictsSent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (exchange.getRequestMethod().equals("PUT") && path.endsWith("/status")
                    && conflictsLeft.getAndDecrement() > 0) {
                conflictsSent.incrementAndGet();
                reply(exchange, 409, """
                        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409,
                         "message":"Operation cannot be fulfilled: the object has been modified"}""");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path
                    + (query == null ? "" : "?" + query)))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            reply(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
