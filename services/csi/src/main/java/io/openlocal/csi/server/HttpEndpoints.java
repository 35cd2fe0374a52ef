package io.openlocal.csi.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.backend.error.StorageException;
import io.openlocal.csi.nodeapi.BackendStatus;
import io.openlocal.csi.nodeapi.NodeStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP side of a process: {@code GET /health} (the backends' health as JSON; 503 when one cannot work) and
 * {@code GET /metrics} (Prometheus text). Other components (the scheduler extender) add their routes through
 * {@code extraRoutes} and share the listener.
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebServer server;

    private HttpEndpoints(WebServer server) {
        this.server = server;
    }

    public static HttpEndpoints start(String host, int port, Supplier<NodeStatus> status,
                                      PrometheusMeterRegistry metrics, Consumer<HttpRouting.Builder> extraRoutes) {
        HttpRouting.Builder routing = HttpRouting.builder()
                .get("/health", (request, response) -> {
                    NodeStatus now = status.get();
                    response.status(now.ready() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
                    response.header("Content-Type", "application/json");
                    response.send(JSON.writeValueAsString(health(now)));
                })
                .get("/metrics", (request, response) -> {
                    response.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    response.send(metrics.scrape());
                });
        extraRoutes.accept(routing);
        try {
            WebServer server = WebServer.builder().host(host).port(port).addRouting(routing).shutdownHook(false)
                    .build().start();
            if (!server.isRunning()) {
                throw new StorageException.Unavailable("the HTTP listener did not start on " + host + ":" + port);
            }
            return new HttpEndpoints(server);
        } catch (RuntimeException e) {
            if (e instanceof StorageException) {
                throw e;
            }
            throw new StorageException.Unavailable("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> health(NodeStatus status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.ready() ? "UP" : "DOWN");
        body.put("node", status.nodeName());
        List<Map<String, Object>> backends = new ArrayList<>();
        for (BackendStatus backend : status.backends()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("volumeType", backend.type().volumeType());
            entry.put("ready", backend.health().ready());
            entry.put("message", backend.health().message());
            entry.put("missing", backend.health().missing());
            entry.put("capabilities", backend.capabilities().stream().map(Enum::name).sorted().toList());
            backends.add(entry);
        }
        body.put("backends", backends);
        return body;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
