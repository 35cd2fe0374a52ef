package io.openlocal.agent;

import io.openlocal.backend.pool.PoolType;
import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node agent's configuration ({@code open-local agent}). Read from YAML with {@link #from(Settings)}; keys:
 *
 * <pre>
 * nodeName: node-1                 # required: this node's name, and so its NodeLocalStorage's name
 * discoveryInterval: 60s           # how often the node is scanned (Open-Local --interval); 1s..1h
 * stateDir: /var/lib/open-local    # backends keep records in &lt;stateDir&gt;/backends/&lt;lvm|device|spdk&gt;
 * initRetryMax: 30m                # longest pause before retrying a resource that failed to initialise
 * kubernetes:
 *   url: http://127.0.0.1:8001     # optional: API server URL without credentials (kubectl proxy, tests)
 *   kubeconfig: /etc/kubeconfig    # optional: else $KUBECONFIG, ~/.kube/config, then in-cluster
 * server:
 *   host: 0.0.0.0
 *   port: 1737                     # /health, /health/ready, /health/live, /metrics; 0 = any
 * backends:                        # each backend's own settings are passed through untouched
 *   lvm:        { enabled: true, settings: { ... } }
 *   device:     { enabled: true, settings: { device.include: "^(s|v|xv)d[a-z]+$" } }
 *   mountPoint: { enabled: true }  # Device and MountPoint share the device settings (one backend module)
 *   spdk:       { settings: { ... } }   # used when the NLS sets spec.spdkConfig.rpcSocket
 * </pre>
 *
 * @param nodeName          this node
 * @param discoveryInterval time between scans; every change the agent makes is followed by a scan too
 * @param stateDir          root of the backends' state directories
 * @param initRetryMax      cap of the exponential back-off for resources that failed to initialise
 * @param kubeUrl           explicit API server URL, if any
 * @param kubeconfig        kubeconfig file, if any
 * @param serverHost        bind address of the health/metrics server
 * @param serverPort        its port (0 picks a free one)
 * @param backends          per pool type: enabled or not, and the settings handed to its backend
 */
public record AgentConfig(String nodeName, Duration discoveryInterval, Path stateDir, Duration initRetryMax,
                          Optional<String> kubeUrl, Optional<Path> kubeconfig, String serverHost, int serverPort,
                          Map<PoolType, BackendConfig> backends) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/open-local");
    public static final int DEFAULT_PORT = 1737;

    /**
     * One backend's part of the configuration.
     *
     * @param enabled  whether the agent builds it (SPDK is built when the NLS names a socket, whatever this says)
     * @param settings handed to the backend as {@code BackendContext.settings}; the backend checks them
     */
    public record BackendConfig(boolean enabled, Map<String, String> settings) {
        public BackendConfig {
            settings = Map.copyOf(settings);
        }
    }

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(discoveryInterval, "discoveryInterval");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(initRetryMax, "initRetryMax");
        kubeUrl = kubeUrl == null ? Optional.empty() : kubeUrl;
        kubeconfig = kubeconfig == null ? Optional.empty() : kubeconfig;
        Objects.requireNonNull(serverHost, "serverHost");
        EnumMap<PoolType, BackendConfig> all = new EnumMap<>(PoolType.class);
        for (PoolType type : PoolType.values()) {
            all.put(type, backends.getOrDefault(type, new BackendConfig(type != PoolType.SPDK, Map.of())));
        }
        backends = Map.copyOf(all);
    }

    /** The backend's part; SPDK's {@code enabled} flag is ignored (the NLS decides). */
    public BackendConfig backend(PoolType type) {
        return backends.get(type);
    }

    /** Reads the agent's section (the keys above) and refuses unknown keys, naming them. */
    public static AgentConfig from(Settings s) {
        s.allowOnly("nodeName", "discoveryInterval", "stateDir", "initRetryMax", "kubernetes", "server", "backends");
        String node = s.string("nodeName");
        if (node.isBlank() || node.length() > 253 || !node.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new ConfigException(full(s, "nodeName"), "'" + node + "' is not a Kubernetes node name");
        }
        Duration interval = s.duration("discoveryInterval", DEFAULT_INTERVAL);
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(full(s, "discoveryInterval"), interval + " is outside 1s..1h");
        }
        Duration retryMax = s.duration("initRetryMax", Duration.ofMinutes(30));
        if (retryMax.compareTo(interval) < 0) {
            throw new ConfigException(full(s, "initRetryMax"), "must be at least discoveryInterval (" + interval
                    + ")");
        }
        Path stateDir = s.path("stateDir", DEFAULT_STATE_DIR);
        if (!stateDir.isAbsolute()) {
            throw new ConfigException(full(s, "stateDir"), "must be an absolute path");
        }
        Settings kube = s.section("kubernetes").allowOnly("url", "kubeconfig");
        Settings server = s.section("server").allowOnly("host", "port");
        Settings backendSection = s.section("backends").allowOnly("lvm", "device", "mountPoint", "spdk");
        Map<PoolType, BackendConfig> backends = new EnumMap<>(PoolType.class);
        backends.put(PoolType.LVM, backend(backendSection.section("lvm"), true, true));
        BackendConfig device = backend(backendSection.section("device"), true, true);
        backends.put(PoolType.DEVICE, device);
        // One backend module serves Device and MountPoint and reads one set of settings for both.
        BackendConfig mountPoint = backend(backendSection.section("mountPoint"), true, false);
        backends.put(PoolType.MOUNT_POINT, new BackendConfig(mountPoint.enabled(), device.settings()));
        backends.put(PoolType.SPDK, backend(backendSection.section("spdk"), false, true));
        return new AgentConfig(node, interval, stateDir, retryMax, kube.optionalString("url"),
                kube.optionalString("kubeconfig").map(Path::of), server.string("host", "0.0.0.0"),
                server.integer("port", DEFAULT_PORT, 0, 65535), backends);
    }

    private static BackendConfig backend(Settings s, boolean enabledByDefault, boolean hasSettings) {
        if (hasSettings) {
            s.allowOnly("enabled", "settings");
        } else {
            s.allowOnly("enabled");
        }
        return new BackendConfig(s.bool("enabled", enabledByDefault), hasSettings ? s.flatStringMap("settings") : Map.of());
    }

    private static String full(Settings s, String key) {
        return s.key().isEmpty() ? key : s.key() + "." + key;
    }
}
