package io.openlocal.controller;

import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The controller's configuration ({@code open-local controller}). Read from YAML with {@link #from(Settings)};
 * keys:
 *
 * <pre>
 * initConfig: open-local           # the NodeLocalStorageInitConfig to follow (Open-Local --initconfig)
 * updateNls: true                  # put NLS specs back in line with the NLSC (Open-Local chart value update_nls)
 * workers: 2                       # reconcile threads
 * resync: 10m                      # informer resync: every NLS is looked at again this often (0 = never)
 * kubernetes:
 *   url: http://127.0.0.1:8001     # optional: API server URL without credentials
 *   kubeconfig: /etc/kubeconfig    # optional: else $KUBECONFIG, ~/.kube/config, then in-cluster
 * leaderElection:
 *   enabled: true                  # false only for a single instance (tests, standalone)
 *   namespace: kube-system         # where the coordination.k8s.io Lease lives
 *   leaseName: open-local-controller
 *   identity: &lt;hostname&gt;_&lt;random&gt;
 *   leaseDuration: 15s
 *   renewDeadline: 10s
 *   retryPeriod: 2s
 * server:
 *   host: 0.0.0.0
 *   port: 1738                     # /health, /health/ready, /health/live, /metrics
 * </pre>
 */
public record ControllerConfig(String initConfig, boolean updateNls, int workers, Duration resync,
                               Optional<String> kubeUrl, Optional<Path> kubeconfig, boolean leaderElection,
                               String leaseNamespace, String leaseName, String identity, Duration leaseDuration,
                               Duration renewDeadline, Duration retryPeriod, String serverHost, int serverPort) {

    public static final String DEFAULT_INIT_CONFIG = "open-local";
    public static final int DEFAULT_PORT = 1738;

    public ControllerConfig {
        Objects.requireNonNull(initConfig, "initConfig");
        Objects.requireNonNull(resync, "resync");
        kubeUrl = kubeUrl == null ? Optional.empty() : kubeUrl;
        kubeconfig = kubeconfig == null ? Optional.empty() : kubeconfig;
        Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(identity, "identity");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0
                || retryPeriod.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("leader election needs leaseDuration > renewDeadline > retryPeriod "
                    + ">= 1s, got " + leaseDuration + ", " + renewDeadline + ", " + retryPeriod);
        }
    }

    /** Reads the controller's section (the keys above) and refuses unknown keys, naming them. */
    public static ControllerConfig from(Settings s) {
        s.allowOnly("initConfig", "updateNls", "workers", "resync", "kubernetes", "leaderElection", "server");
        String initConfig = s.string("initConfig", DEFAULT_INIT_CONFIG);
        if (!initConfig.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || initConfig.length() > 253) {
            throw new ConfigException(full(s, "initConfig"), "'" + initConfig
                    + "' is not a Kubernetes object name");
        }
        Settings kube = s.section("kubernetes").allowOnly("url", "kubeconfig");
        Settings le = s.section("leaderElection").allowOnly("enabled", "namespace", "leaseName", "identity",
                "leaseDuration", "renewDeadline", "retryPeriod");
        Settings server = s.section("server").allowOnly("host", "port");
        Duration lease = le.duration("leaseDuration", Duration.ofSeconds(15));
        Duration renew = le.duration("renewDeadline", Duration.ofSeconds(10));
        Duration retry = le.duration("retryPeriod", Duration.ofSeconds(2));
        if (lease.compareTo(renew) <= 0 || renew.compareTo(retry) <= 0 || retry.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(full(s, "leaderElection"), "needs leaseDuration > renewDeadline > retryPeriod"
                    + " >= 1s, got " + lease + ", " + renew + ", " + retry);
        }
        return new ControllerConfig(initConfig, s.bool("updateNls", true), s.integer("workers", 2, 1, 32),
                s.duration("resync", Duration.ofMinutes(10)), kube.optionalString("url"),
                kube.optionalString("kubeconfig").map(Path::of), le.bool("enabled", true),
                le.string("namespace", "kube-system"), le.string("leaseName", "open-local-controller"),
                le.string("identity", defaultIdentity()), lease, renew, retry, server.string("host", "0.0.0.0"),
                server.integer("port", DEFAULT_PORT, 0, 65535));
    }

    /** The host name plus a random suffix, so two instances on one host are two candidates. */
    public static String defaultIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "open-local-controller";
        }
        return host + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String full(Settings s, String key) {
        return s.key().isEmpty() ? key : s.key() + "." + key;
    }
}
