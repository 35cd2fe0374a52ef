package io.openlocal.config.csi;

import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The configuration of {@code open-local csi} in a cluster ({@code csi-node.yaml}, {@code csi-controller.yaml}
 * of the Helm chart). Read with {@link #from(Settings)}; unknown keys are refused, naming them. Keys:
 *
 * <pre>
 * nodeName: node-1                    # node mode: this node (the chart passes --node-name=$(NODE_NAME))
 * server: {host: 0.0.0.0, port: 23101}   # /health, /health/ready, /health/live, /metrics; 0 = any free port
 * csi:
 *   mode: node                        # node | controller (required)
 *   driverName: local.csi.aliyun.com
 *   endpoint: unix:///csi/csi.sock
 *   lvNamePrefix: local               # prefix of the backend names of CSI volumes
 *   defaultVolumeSize: 1Gi            # size when a request gives no capacity range
 *   # node mode only:
 *   kubeletDir: /var/lib/kubelet
 *   stateDir: /var/lib/open-local     # durable CSI volume records and the backends' state
 *   maxVolumesPerNode: 256            # 0 = no limit
 *   strategy: binpack                 # binpack | spread: VG choice when the StorageClass names none
 *   vgInclude: ["open-local-pool-[0-9]+"]   # volume groups volumes may be placed in (regular expressions)
 *   deviceRegexp: "^(s|v|xv)d[a-z]+$"       # exclusive (Device) disks this plugin may hand out
 *   cgroupMount: /sys/fs/cgroup       # where the host's cgroups are seen (iops/bps go in the pods' cgroups)
 *   kubeletCgroupRoot: /              # kubelet's --cgroup-root
 * spdk:                               # node mode, SPDK nodes only: the SPDK backend's settings, e.g.
 *   rpcSocket: /var/tmp/spdk.sock     # spdk_tgt's JSON-RPC socket
 *   nvmfAddress: 127.0.0.1            # where volumes are exported over NVMe-oF/TCP for this node's initiator
 *   nvmfPort: 4420
 * nodeApi:                            # gRPC with mutual TLS between the CSI controller and each node plugin
 *   port: 1736
 *   tls: {certFile: /etc/open-local/tls/tls.crt, keyFile: /etc/open-local/tls/tls.key,
 *         caFile: /etc/open-local/tls/ca.crt}
 *   # node mode only:
 *   host: 0.0.0.0
 *   allowedClientNames: [open-local-csi-controller]   # client certificate identity accepted
 *   # controller mode only:
 *   serverName: open-local-node-api   # identity the node plugin's certificate must carry (not its IP)
 *   timeout: 60s                      # deadline of one node API call
 * kubernetes: {url: ..., kubeconfig: ...}   # controller mode only; else $KUBECONFIG, ~/.kube/config, in-cluster
 * </pre>
 *
 * @param mode              node or controller
 * @param nodeName          this node (node mode; empty in controller mode)
 * @param serverHost        health/metrics bind address
 * @param serverPort        health/metrics port
 * @param driverName        CSI plugin name
 * @param endpoint          the CSI socket, {@code unix:///path}
 * @param lvNamePrefix      ownership prefix of backend names
 * @param defaultVolumeBytes size of a volume whose request gives no capacity range
 * @param node              the node-mode settings (present in node mode only)
 * @param controller        the controller-mode settings (present in controller mode only)
 * @param nodeApiPort       node API port (served in node mode, dialled in controller mode)
 * @param tls               this side's node API TLS files
 */
public record CsiConfig(Mode mode, Optional<String> nodeName, String serverHost, int serverPort, String driverName,
                        String endpoint, String lvNamePrefix, long defaultVolumeBytes, Optional<Node> node,
                        Optional<Controller> controller, int nodeApiPort, Tls tls) {

    public static final int DEFAULT_NODE_API_PORT = 1736;
    public static final int DEFAULT_NODE_PORT = 23101;
    public static final int DEFAULT_CONTROLLER_PORT = 23110;
    public static final String DEFAULT_SERVER_NAME = "open-local-node-api";
    public static final String DEFAULT_CLIENT_NAME = "open-local-csi-controller";
    public static final Path DEFAULT_TLS_DIR = Path.of("/etc/open-local/tls");

    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    /** Which CSI services this process serves. */
    public enum Mode {
        /** Identity + Node on the socket, the node API over mTLS (DaemonSet). */
        NODE,
        /** Identity + Controller on the socket, each node reached over the node API (Deployment). */
        CONTROLLER
    }

    /**
     * @param kubeletDir         staging and publish targets lie under it
     * @param stateDir           durable records and backend state
     * @param maxVolumesPerNode  reported by NodeGetInfo; 0 = no limit
     * @param strategy           binpack or spread
     * @param vgInclude          volume groups volumes may go in
     * @param deviceRegexp       whole disks handed out as Device volumes
     * @param nodeApiHost        bind address of the node API
     * @param allowedClientNames identities a client certificate must carry one of
     * @param spdk               the SPDK backend's settings on an SPDK node (checked by the backend at start)
     * @param cgroupMount        where the host's cgroup file systems are seen
     * @param kubeletCgroupRoot  kubelet's --cgroup-root, under which pods' cgroups are
     */
    public record Node(Path kubeletDir, Path stateDir, long maxVolumesPerNode, String strategy,
                       List<String> vgInclude, String deviceRegexp, String nodeApiHost,
                       List<String> allowedClientNames, Optional<Map<String, String>> spdk, Path cgroupMount,
                       String kubeletCgroupRoot) {
        public Node {
            vgInclude = List.copyOf(vgInclude);
            allowedClientNames = List.copyOf(allowedClientNames);
            spdk = spdk.map(Map::copyOf);
        }
    }

    /**
     * @param serverName identity the node plugin's certificate must carry
     * @param timeout    deadline of one node API call
     * @param kubeUrl    explicit API server URL (tests, kubectl proxy)
     * @param kubeconfig kubeconfig file
     */
    public record Controller(String serverName, Duration timeout, Optional<String> kubeUrl,
                             Optional<Path> kubeconfig) {
    }

    /** PEM files: this side's certificate, its key (PKCS#1 or PKCS#8) and the CA bundle. */
    public record Tls(Path certFile, Path keyFile, Path caFile) {
    }

    public CsiConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(controller, "controller");
        if (mode == Mode.NODE && (node.isEmpty() || nodeName.isEmpty())) {
            throw new IllegalArgumentException("node mode needs the node settings and a node name");
        }
        if (mode == Mode.CONTROLLER && controller.isEmpty()) {
            throw new IllegalArgumentException("controller mode needs the controller settings");
        }
    }

    /** Reads the keys above; a key of the other mode is refused as unknown, naming it. */
    public static CsiConfig from(Settings s) {
        s.allowOnly("nodeName", "server", "csi", "nodeApi", "kubernetes", "spdk");
        Settings csi = s.section("csi");
        if (!csi.has("mode")) {
            throw new ConfigException("csi.mode", "required: node or controller");
        }
        String modeText = csi.string("mode");
        Mode mode = switch (modeText) {
            case "node" -> Mode.NODE;
            case "controller" -> Mode.CONTROLLER;
            default -> throw new ConfigException("csi.mode", "'" + modeText + "' is neither node nor controller");
        };
        List<String> common = List.of("mode", "driverName", "endpoint", "lvNamePrefix", "defaultVolumeSize");
        List<String> nodeOnly = List.of("kubeletDir", "stateDir", "maxVolumesPerNode", "strategy", "vgInclude",
                "deviceRegexp", "cgroupMount", "kubeletCgroupRoot");
        csi.allowOnly(concat(common, mode == Mode.NODE ? nodeOnly : List.of()));
        Settings api = s.section("nodeApi");
        api.allowOnly(concat(List.of("port", "tls"), mode == Mode.NODE ? List.of("host", "allowedClientNames")
                : List.of("serverName", "timeout")));
        Settings server = s.section("server").allowOnly("host", "port");
        Settings tlsSection = api.section("tls").allowOnly("certFile", "keyFile", "caFile");

        String driverName = csi.string("driverName", "local.csi.aliyun.com");
        String endpoint = csi.string("endpoint", "unix:///csi/csi.sock");
        if (!endpoint.startsWith("unix:///")) {
            throw new ConfigException("csi.endpoint", "'" + endpoint + "' must be unix:///absolute/path");
        }
        String prefix = csi.string("lvNamePrefix", "local");
        if (!prefix.matches("[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?")) {
            throw new ConfigException("csi.lvNamePrefix", "'" + prefix
                    + "' must be 1..16 lower-case letters, digits or '-' (it starts every backend name)");
        }
        long defaultBytes = csi.bytes("defaultVolumeSize", 1L << 30);
        Tls tls = new Tls(absolute(tlsSection, "certFile", DEFAULT_TLS_DIR.resolve("tls.crt")),
                absolute(tlsSection, "keyFile", DEFAULT_TLS_DIR.resolve("tls.key")),
                absolute(tlsSection, "caFile", DEFAULT_TLS_DIR.resolve("ca.crt")));
        // 0 (any free port) only makes sense for a server, and there only in tests.
        int apiPort = api.integer("port", DEFAULT_NODE_API_PORT, mode == Mode.NODE ? 0 : 1, 65535);
        String host = server.string("host", "0.0.0.0");
        int port = server.integer("port", mode == Mode.NODE ? DEFAULT_NODE_PORT : DEFAULT_CONTROLLER_PORT, 0, 65535);

        if (mode == Mode.NODE) {
            if (!s.has("nodeName")) {
                throw new ConfigException("nodeName", "required in node mode (or --node-name)");
            }
            String nodeName = s.string("nodeName");
            if (!NODE_NAME.matcher(nodeName).matches()) {
                throw new ConfigException("nodeName", "'" + nodeName + "' is not a Kubernetes node name");
            }
            String strategy = csi.string("strategy", "binpack");
            if (!strategy.equals("binpack") && !strategy.equals("spread")) {
                throw new ConfigException("csi.strategy", "'" + strategy + "' is neither binpack nor spread");
            }
            List<String> vgInclude = csi.has("vgInclude") ? csi.strings("vgInclude")
                    : List.of("open-local-pool-[0-9]+");
            for (int i = 0; i < vgInclude.size(); i++) {
                regex("csi.vgInclude." + i, vgInclude.get(i));
            }
            String deviceRegexp = regex("csi.deviceRegexp", csi.string("deviceRegexp", "^(s|v|xv)d[a-z]+$"));
            List<String> clients = api.has("allowedClientNames") ? api.strings("allowedClientNames")
                    : List.of(DEFAULT_CLIENT_NAME);
            if (clients.isEmpty()) {
                throw new ConfigException("nodeApi.allowedClientNames", "must name at least one client identity");
            }
            long max = csi.integer("maxVolumesPerNode", 256, 0, 1_000_000);
            Optional<Map<String, String>> spdk = s.has("spdk") ? Optional.of(s.flatStringMap("spdk"))
                    : Optional.empty();
            String cgroupRoot = csi.string("kubeletCgroupRoot", "/");
            if (!cgroupRoot.startsWith("/") || cgroupRoot.contains("..") || cgroupRoot.contains("//")) {
                throw new ConfigException("csi.kubeletCgroupRoot", "'" + cgroupRoot
                        + "' must be an absolute cgroup path such as / or /kubelet");
            }
            Node node = new Node(absolute(csi, "kubeletDir", Path.of("/var/lib/kubelet")),
                    absolute(csi, "stateDir", Path.of("/var/lib/open-local")), max, strategy, vgInclude,
                    deviceRegexp, api.string("host", "0.0.0.0"), clients, spdk,
                    absolute(csi, "cgroupMount", Path.of("/sys/fs/cgroup")), cgroupRoot);
            return new CsiConfig(mode, Optional.of(nodeName), host, port, driverName, endpoint, prefix,
                    defaultBytes, Optional.of(node), Optional.empty(), apiPort, tls);
        }
        if (s.has("nodeName")) {
            throw new ConfigException("nodeName", "only for csi.mode node (the controller serves every node)");
        }
        if (s.has("spdk")) {
            throw new ConfigException("spdk", "only for csi.mode node (the SPDK target is on the node)");
        }
        Settings kube = s.section("kubernetes").allowOnly("url", "kubeconfig");
        String serverName = api.string("serverName", DEFAULT_SERVER_NAME);
        if (!DNS_NAME.matcher(serverName).matches()) {
            throw new ConfigException("nodeApi.serverName", "'" + serverName + "' is not a DNS name");
        }
        Duration timeout = api.duration("timeout", Duration.ofSeconds(60));
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new ConfigException("nodeApi.timeout", timeout + " is outside 1s..30m");
        }
        Controller controller = new Controller(serverName, timeout, kube.optionalString("url"),
                kube.optionalString("kubeconfig").map(k -> absolute(kube, "kubeconfig", null)));
        return new CsiConfig(mode, Optional.empty(), host, port, driverName, endpoint, prefix, defaultBytes,
                Optional.empty(), Optional.of(controller), apiPort, tls);
    }

    /** The CSI socket path. */
    public Path socketPath() {
        return Path.of(endpoint.substring("unix://".length()));
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    private static Path absolute(Settings s, String key, Path defaultValue) {
        Path path = s.path(key, defaultValue);
        if (!path.isAbsolute()) {
            throw new ConfigException(s.key().isEmpty() ? key : s.key() + "." + key, "'" + path
                    + "' must be an absolute path");
        }
        return path.normalize();
    }

    private static String regex(String key, String value) {
        try {
            Pattern.compile(value);
            return value;
        } catch (PatternSyntaxException e) {
            throw new ConfigException(key, "'" + value + "' is not a regular expression: " + e.getDescription());
        }
    }
}
