package io.openlocal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.health.HealthCheckType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ObserveServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthPathsFollowTheChecksAndMetricsAreServed() throws Exception {
        AtomicReference<String> readiness = new AtomicReference<>("informer not synced");
        try (ObserveServer server = new ObserveServer("127.0.0.1", 0, List.of(
                new ObserveServer.Check("informer", HealthCheckType.READINESS, readiness::get),
                new ObserveServer.Check("worker", HealthCheckType.LIVENESS, () -> null)),
                () -> "openlocal_up 1\n")) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(base + "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("informer not synced");
            readiness.set(null);
            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.body()).isEqualTo("openlocal_up 1\n");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
