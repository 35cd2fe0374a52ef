package io.openlocal.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.metrics.ExtenderMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * {@code GET /version}, {@code GET /metrics} (Prometheus text), {@code GET /healthz} and {@code GET /readyz}, the
 * latter two also as {@code /health/live} and {@code /health/ready}, the paths every Open-Local daemon serves and
 * the Helm chart probes.
 */
public final class OpsRoutes implements HttpService {

    private final ExtenderMetrics metrics;
    private final Readiness readiness;
    private final String version = version();

    public OpsRoutes(ExtenderMetrics metrics, Readiness readiness) {
        this.metrics = metrics;
        this.readiness = readiness;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/version", (req, res) -> Replies.text(res, Status.OK_200, version))
                .get("/metrics", this::metrics)
                .get("/healthz", (req, res) -> Replies.text(res, Status.OK_200, "ok"))
                .get("/health/live", (req, res) -> Replies.text(res, Status.OK_200, "ok"))
                .get("/readyz", this::ready)
                .get("/health/ready", this::ready);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        if (readiness.ready()) {
            Replies.text(res, Status.OK_200, "ready");
        } else {
            Replies.text(res, Status.SERVICE_UNAVAILABLE_503, "loading cluster state");
        }
    }

    /** {@code open-local-java-<version>} from the jar's build, as Open-Local prints version-commit. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = OpsRoutes.class.getResourceAsStream("/io/openlocal/extender/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return "open-local-java-" + p.getProperty("version", "unknown");
    }
}
