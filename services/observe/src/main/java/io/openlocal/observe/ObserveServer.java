package io.openlocal.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.util.List;
import java.util.function.Supplier;

/**
 * The health and metrics endpoints every daemon serves, at the paths the Helm chart probes:
 * {@code /health} (with {@code /health/ready} and {@code /health/live}) from Helidon's health observer, and
 * {@code /metrics} in Prometheus text format.
 */
public final class ObserveServer implements AutoCloseable {

    /** A named check: its name, type, and a supplier answering null when healthy or the reason it is not. */
    public record Check(String name, HealthCheckType type, Supplier<String> problem) {
    }

    private final WebServer server;

    public ObserveServer(String host, int port, List<Check> checks, Supplier<String> metrics) {
        HealthCheck[] healthChecks = checks.stream().map(ObserveServer::toHealthCheck).toArray(HealthCheck[]::new);
        this.server = WebServer.builder()
                .host(host)
                .port(port)
                // Observers at the root, so health is /health rather than Helidon's default /observe/health.
                // details: a DOWN answer says which check failed and why (probes only look at the status code).
                .addFeature(ObserveFeature.builder().endpoint("/")
                        .addObserver(HealthObserver.builder().details(true).useSystemServices(false)
                                .addChecks(healthChecks).build())
                        .build())
                .routing(r -> r.get("/metrics", (req, res) -> res
                        .header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                        .send(metrics.get())))
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    private static HealthCheck toHealthCheck(Check check) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return check.type();
            }

            @Override
            public String name() {
                return check.name();
            }

            @Override
            public HealthCheckResponse call() {
                String problem = check.problem().get();
                var builder = HealthCheckResponse.builder().status(problem == null);
                if (problem != null) {
                    builder.detail("problem", problem);
                }
                return builder.build();
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }
}
