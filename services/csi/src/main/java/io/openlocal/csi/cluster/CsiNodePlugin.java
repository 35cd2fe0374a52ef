package io.openlocal.csi.cluster;

import io.helidon.health.HealthCheckType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ObservedCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.config.csi.CsiConfig;
import io.openlocal.csi.CsiServices;
import io.openlocal.csi.CsiSettings;
import io.openlocal.csi.node.PodIoLimits;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.NodeApiServer;
import io.openlocal.csi.nodeapi.PoolChooser;
import io.openlocal.csi.nodeapi.SnapshotSpaceKeeper;
import io.openlocal.csi.server.CallMetrics;
import io.openlocal.csi.server.CsiServer;
import io.openlocal.csi.tls.TlsFiles;
import io.openlocal.csi.volume.BackendNames;
import io.openlocal.kube.OpenLocalNames;
import io.openlocal.observe.ObserveServer;
import io.openlocal.observe.metrics.CommandMetrics;
import io.openlocal.observe.progress.ProgressLog;
import io.openlocal.observe.progress.ThrottledProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code open-local csi} with {@code csi.mode: node} (the DaemonSet's {@code csi-plugin} container): this node's
 * LVM and Device backends (and SPDK on SPDK nodes) behind one {@link LocalNodeStorage}, served as CSI Identity + Node on the unix socket
 * and as the node API (gRPC, mutual TLS) to the CSI controller, plus health and metrics over HTTP.
 */
public final class CsiNodePlugin implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CsiNodePlugin.class.getName());
    private static final Logger PROGRESS_LOG = Logger.getLogger("io.openlocal.csi.progress");
    /** The SPDK backend's default {@code rpcSocket}, spdk_tgt's own default. */
    private static final String DEFAULT_SPDK_SOCKET = "/var/tmp/spdk.sock";

    private final RunningParts running = new RunningParts();
    private NodeApiServer nodeApi;
    private ObserveServer observe;
    private Path socket;

    private CsiNodePlugin() {
    }

    public static CsiNodePlugin start(CsiConfig config, CommandRunner runner, String version) {
        if (config.mode() != CsiConfig.Mode.NODE) {
            throw new IllegalArgumentException("not a node-mode configuration");
        }
        CsiNodePlugin plugin = new CsiNodePlugin();
        try {
            plugin.startAll(config, runner, version);
            return plugin;
        } catch (RuntimeException e) {
            plugin.close();
            throw e;
        }
    }

    private void startAll(CsiConfig config, CommandRunner runner, String version) {
        CsiConfig.Node node = config.node().orElseThrow();
        String nodeName = config.nodeName().orElseThrow();
        // The TLS files first: a plugin that cannot serve the controller should fail before touching disks.
        TlsFiles tls = new TlsFiles(config.tls().certFile(), config.tls().keyFile(), config.tls().caFile());
        // The backends' records are the agent's (same host directory, <stateDir>/backends/<type>, as the agent's
        // NodeBackends lays it out): a disk this plugin claims is then reported as used in the NodeLocalStorage
        // status, and the Device backend's file lock serialises the two processes. The CSI volume records are
        // this plugin's own, under <stateDir>/csi.
        Path stateDir = node.stateDir();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Every command of the backends and of the CSI node service (mkfs, mount) is timed on /metrics.
        runner = new ObservedCommandRunner(runner, new CommandMetrics(metrics));
        // Long work (a released disk's wipe) is logged as it goes, at most once per 2 s per volume.
        ThrottledProgress progress = ProgressLog.throttled(PROGRESS_LOG);
        running.add(progress);
        BackendRegistry registry = BackendRegistry.load();
        Map<PoolType, Backend> backends = new EnumMap<>(PoolType.class);
        Backend lvm = registry.create(PoolType.LVM, new BackendContext(nodeName, runner,
                stateDir.resolve("backends/lvm"), Map.of("lvNamePrefix", config.lvNamePrefix()), progress));
        running.add(lvm);
        backends.put(PoolType.LVM, lvm);
        Backend device = registry.create(PoolType.DEVICE, new BackendContext(nodeName, runner,
                stateDir.resolve("backends/device"), Map.of("device.include", node.deviceRegexp()), progress));
        running.add(device);
        backends.put(PoolType.DEVICE, device);
        Optional<Path> spdkSocket = node.spdk().map(m -> Path.of(m.getOrDefault("rpcSocket", DEFAULT_SPDK_SOCKET)));
        if (spdkSocket.isPresent() && !Files.exists(spdkSocket.get())) {
            // The chart configures SPDK on every node; only nodes running spdk_tgt serve SPDK volumes. A node
            // whose target starts later needs this plugin restarted to serve them.
            LOG.info("no SPDK target socket at " + spdkSocket.get() + ": this node serves no SPDK volumes");
        } else if (spdkSocket.isPresent()) {
            // Same record as the agent's SPDK backend (the agent makes the lvstores, this plugin the lvols and
            // exports); the record is safe for two processes.
            Backend spdk;
            try {
                spdk = registry.create(PoolType.SPDK, new BackendContext(nodeName, runner,
                        stateDir.resolve("backends/spdk"), node.spdk().get(), progress));
            } catch (StorageException.InvalidArgument e) {
                throw new StorageException.InvalidArgument("spdk: " + e.getMessage());
            }
            running.add(spdk);
            backends.put(PoolType.SPDK, spdk);
        }

        List<Pattern> vgs = node.vgInclude().stream().map(Pattern::compile).toList();
        // Volumes go only into the volume groups the cluster's plan made (never the host's own VGs); devices
        // are already limited to deviceRegexp by the Device backend.
        Predicate<PoolInfo> allowed = pool -> pool.type() != PoolType.LVM
                || vgs.stream().anyMatch(p -> p.matcher(pool.name()).matches());
        LocalNodeStorage storage = new LocalNodeStorage(nodeName, backends, stateDir.resolve("csi/records"),
                new PoolChooser(PoolChooser.Strategy.parse(node.strategy())), Clock.systemUTC(), allowed,
                new BackendNames(config.lvNamePrefix()));
        CsiSettings settings = new CsiSettings(config.driverName(), version, nodeName, OpenLocalNames.TOPOLOGY_KEY,
                node.kubeletDir(), node.maxVolumesPerNode(), config.defaultVolumeBytes());

        socket = config.socketPath();
        CsiServer csi = CsiServer.start(socket, CsiServices.node(settings, storage, runner,
                new PodIoLimits(node.cgroupMount(), node.kubeletCgroupRoot())), new CallMetrics(metrics));
        running.add(csi);
        running.add(new SnapshotSpaceKeeper(storage).start(SnapshotSpaceKeeper.PERIOD));
        nodeApi = NodeApiServer.start(node.nodeApiHost(), config.nodeApiPort(), tls, node.allowedClientNames(),
                storage);
        running.add(nodeApi);
        try {
            observe = new ObserveServer(config.serverHost(), config.serverPort(), List.of(
                    new ObserveServer.Check("backends", HealthCheckType.READINESS, () -> {
                        var status = storage.status();
                        return status.ready() ? null : "backends not ready: " + status.backends();
                    })), metrics::scrape);
        } catch (RuntimeException e) {
            throw new StorageException.Unavailable("cannot serve health and metrics on " + config.serverHost() + ":"
                    + config.serverPort() + ": " + e.getMessage(), e);
        }
        running.add(observe);
    }

    public Path socket() {
        return socket;
    }

    /** The node API port actually bound (the configured one, or a free one for port 0 in tests). */
    public int nodeApiPort() {
        return nodeApi.port();
    }

    public int httpPort() {
        return observe.port();
    }

    @Override
    public void close() {
        running.close();
    }
}
