package io.openlocal.extender;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.kubernetes.client.openapi.ApiClient;
import io.openlocal.extender.cluster.ClusterSync;
import io.openlocal.extender.config.ExtenderConfig;
import io.openlocal.extender.http.AllocationRoutes;
import io.openlocal.extender.http.CacheRoutes;
import io.openlocal.extender.http.OpsRoutes;
import io.openlocal.extender.http.SchedulerRoutes;
import io.openlocal.extender.metrics.ExtenderMetrics;
import io.openlocal.extender.promise.Promises;
import io.openlocal.extender.wire.ExtenderArgsReader;
import io.openlocal.scheduling.catalog.ClaimCatalog;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.placement.Placer;
import io.openlocal.scheduling.selection.NodeSelector;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The scheduler extender as one object: catalog, ledger, routes and HTTP server, and optionally the informers
 * that feed them. {@code main} builds one from flags; tests and benchmarks build one directly and may fill the
 * catalog and ledger themselves.
 */
public final class ExtenderService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExtenderService.class.getName());

    private final ExtenderConfig config;
    private final ClaimCatalog catalog = new ClaimCatalog();
    private final AllocationLedger ledger;
    private final ExtenderMetrics metrics;
    private final Promises promises;
    private final Readiness readiness;
    private WebServer server;
    private ClusterSync cluster;

    /**
     * @param readiness {@link Readiness#alreadyReady()} when no cluster feeds this instance, else a fresh one that
     *                  {@link #connect} marks ready after the rebuild
     */
    public ExtenderService(ExtenderConfig config, Readiness readiness) {
        this.config = config;
        this.readiness = readiness;
        this.ledger = new AllocationLedger(new Placer(config.strategy()));
        this.metrics = new ExtenderMetrics(ledger);
        this.promises = new Promises(catalog, ledger, metrics, config.promiseTimeout());
    }

    /** Starts the HTTP server; returns the port it listens on. */
    public synchronized int start() {
        NodeSelector selector = new NodeSelector(ledger);
        ExtenderArgsReader reader = new ExtenderArgsReader(config.maxNodes());
        server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(config.maxRequestBytes())
                // Answers of several segments must not wait for the scheduler's delayed ACK (40 ms per request).
                .connectionOptions(o -> o.tcpNoDelay(true))
                .shutdownHook(false)
                .routing(r -> r
                        .register(new SchedulerRoutes(catalog, selector, reader, metrics, readiness))
                        .register(new AllocationRoutes(catalog, promises, metrics, readiness))
                        .register(new CacheRoutes(ledger))
                        .register(new OpsRoutes(metrics, readiness))
                        .error(Exception.class, (req, res, e) -> {
                            LOG.log(Level.ERROR, "unexpected failure on " + req.prologue().method() + " "
                                    + req.path().path(), e);
                            res.status(Status.INTERNAL_SERVER_ERROR_500);
                            res.send(("internal error: " + e.getClass().getSimpleName() + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        }))
                .build()
                .start();
        LOG.log(Level.INFO, "Open-Local scheduler extender listening on {0}:{1} (strategy {2})", config.host(),
                String.valueOf(server.port()), config.strategy().flagValue());
        return server.port();
    }

    /**
     * Starts the informers against {@code client} and waits for the first full listing and the ledger rebuild.
     *
     * @return false if the cluster state did not load within {@code timeout} (the service stays not ready and
     *         keeps trying in the background)
     */
    public boolean connect(ApiClient client, Duration timeout) throws InterruptedException {
        synchronized (this) {
            cluster = new ClusterSync(client, catalog, ledger, promises, readiness, config.sweepInterval());
            cluster.start();
        }
        return cluster.awaitSynced(timeout);
    }

    public int port() {
        return server.port();
    }

    public ClaimCatalog catalog() {
        return catalog;
    }

    public AllocationLedger ledger() {
        return ledger;
    }

    public Promises promises() {
        return promises;
    }

    public Readiness readiness() {
        return readiness;
    }

    public ExtenderConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
