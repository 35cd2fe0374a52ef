package io.openlocal.csi.cluster;

import io.helidon.health.HealthCheckType;
import io.kubernetes.client.openapi.ApiClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.backend.error.StorageException;
import io.openlocal.config.csi.CsiConfig;
import io.openlocal.csi.CsiServices;
import io.openlocal.csi.CsiSettings;
import io.openlocal.csi.server.CallMetrics;
import io.openlocal.csi.server.CsiServer;
import io.openlocal.csi.tls.TlsFiles;
import io.openlocal.kube.OpenLocalNames;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.event.EventRecorder;
import io.openlocal.observe.ObserveServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code open-local csi} with {@code csi.mode: controller} (the {@code open-local-csi-controller} Deployment):
 * CSI Identity + Controller on the unix socket; every volume operation goes to the node plugin of the volume's
 * node over the node API ({@link KubeNodeDirectory}), plus health and metrics over HTTP. Provisioning failures a
 * claim's owner can fix become Warning Events on the claim ({@link ClaimEventPublisher}).
 */
public final class CsiControllerPlugin implements AutoCloseable {

    /** CsiSettings needs a node name; the controller serves no Node service, so this one is never reported. */
    private static final String NO_NODE = "open-local-csi-controller";
    /** Claim events waiting for the API server at most; more are dropped (counted) rather than held. */
    private static final int EVENT_QUEUE = 256;
    /** How long one claim or event request may take; the informers' client has no read timeout. */
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    private final RunningParts running = new RunningParts();
    private ObserveServer observe;
    private KubeNodeDirectory directory;
    private Path socket;

    private CsiControllerPlugin() {
    }

    public static CsiControllerPlugin start(CsiConfig config, String version) {
        if (config.mode() != CsiConfig.Mode.CONTROLLER) {
            throw new IllegalArgumentException("not a controller-mode configuration");
        }
        CsiControllerPlugin plugin = new CsiControllerPlugin();
        try {
            plugin.startAll(config, version);
            return plugin;
        } catch (RuntimeException e) {
            plugin.close();
            throw e;
        }
    }

    private void startAll(CsiConfig config, String version) {
        CsiConfig.Controller controller = config.controller().orElseThrow();
        TlsFiles tls = new TlsFiles(config.tls().certFile(), config.tls().keyFile(), config.tls().caFile());
        ApiClient client;
        ApiClient eventClient;
        try {
            client = KubeClients.create(controller.kubeUrl(), controller.kubeconfig());
            eventClient = KubeClients.create(controller.kubeUrl(), controller.kubeconfig(), EVENT_TIMEOUT);
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot build the Kubernetes client: " + e.getMessage(), e);
        }
        directory = new KubeNodeDirectory(client, config.nodeApiPort(), controller.serverName(), tls,
                Math.max(1, controller.timeout().toSeconds()));
        running.add(directory);
        directory.start();
        CsiSettings settings = new CsiSettings(config.driverName(), version, NO_NODE, OpenLocalNames.TOPOLOGY_KEY,
                CsiSettings.DEFAULT_KUBELET_DIR, 0, config.defaultVolumeBytes());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Every retry of a failing CreateVolume is patched into its event's count at once: external-provisioner's
        // back-off (1 s doubling to 5 min) already spaces them.
        EventRecorder recorder = new EventRecorder(eventClient, ClaimEventPublisher.COMPONENT, "", Clock.systemUTC(),
                Duration.ofMinutes(10), Duration.ZERO);
        ClaimEventPublisher claimEvents = running.add(new ClaimEventPublisher(eventClient, directory, recorder,
                EVENT_QUEUE, metrics));
        socket = config.socketPath();
        CsiServer csi = CsiServer.start(socket, CsiServices.controller(settings, directory, claimEvents),
                new CallMetrics(metrics));
        running.add(csi);
        try {
            observe = new ObserveServer(config.serverHost(), config.serverPort(), List.of(
                    new ObserveServer.Check("nodeInformer", HealthCheckType.READINESS,
                            () -> directory.synced() ? null : "the Node cache has not synced yet")),
                    metrics::scrape);
        } catch (RuntimeException e) {
            throw new StorageException.Unavailable("cannot serve health and metrics on " + config.serverHost() + ":"
                    + config.serverPort() + ": " + e.getMessage(), e);
        }
        running.add(observe);
    }

    public Path socket() {
        return socket;
    }

    public int httpPort() {
        return observe.port();
    }

    /** Whether the Node cache has synced. */
    public boolean synced() {
        return directory.synced();
    }

    @Override
    public void close() {
        running.close();
    }
}
