package io.openlocal.chart;

import java.util.List;
import java.util.Map;

/**
 * Facts of the contract between the chart and the open-local services (README "Contract"), and of
 * compatibility with Alibaba Open-Local v0.8.0. Tests check the rendered chart against these; the services
 * must match them too.
 */
final class Contract {

    static final String DRIVER = "local.csi.aliyun.com";
    static final String LAUNCHER = "/opt/open-local/bin/open-local";
    static final String CSI_SOCKET_IN_POD = "/csi/csi.sock";
    static final String KUBELET_REGISTRATION_PATH = "/var/lib/kubelet/plugins/local.csi.aliyun.com/csi.sock";
    static final String CONFIG_DIR = "/etc/open-local";
    static final String TLS_DIR = "/etc/open-local/tls";

    /** Open-Local's extender routes that kube-scheduler calls. */
    static final String PREDICATES_ROUTE = "/scheduler/predicates";
    static final String PRIORITIES_ROUTE = "/scheduler/priorities";
    static final int EXTENDER_PORT = 23000;
    static final int NODE_API_PORT = 1736;

    /** Launcher command of each open-local container, the config file it reads, and the log format (JSON lines). */
    static final Map<String, List<String>> COMMANDS = Map.of(
            "agent", List.of("agent", "--config=/etc/open-local/agent.yaml", "--node-name=$(NODE_NAME)",
                    "--log-format=json"),
            "csi-node", List.of("csi", "--config=/etc/open-local/csi-node.yaml", "--node-name=$(NODE_NAME)",
                    "--log-format=json"),
            "csi-controller", List.of("csi", "--config=/etc/open-local/csi-controller.yaml", "--log-format=json"),
            "controller", List.of("controller", "--config=/etc/open-local/controller.yaml", "--log-format=json"),
            "scheduler-extender", List.of("scheduler-extender", "--port=23000", "--scheduler-strategy=spread",
                    "--log-format=json"));

    /** The metrics contract: name to type and labels. */
    record Metric(String name, String type, List<String> labels) {
    }

    static final List<Metric> METRICS = List.of(
            new Metric("openlocal_pool_capacity_bytes", "gauge", List.of("node", "pool", "type")),
            new Metric("openlocal_pool_free_bytes", "gauge", List.of("node", "pool", "type")),
            new Metric("openlocal_volumes", "gauge", List.of("node", "pool")),
            new Metric("openlocal_csi_operations_total", "counter", List.of("method", "code")),
            new Metric("openlocal_csi_operation_seconds", "histogram", List.of("method")),
            new Metric("openlocal_backend_command_seconds", "histogram", List.of("program", "outcome")),
            new Metric("openlocal_extender_decision_seconds", "histogram", List.of("verb")),
            new Metric("openlocal_extender_rejects_total", "counter", List.of("reason")),
            new Metric("openlocal_ledger_entries", "gauge", List.of()));

    /** Open-Local v0.8.0's StorageClasses (helm/values.yaml), which existing PVCs name. */
    record StorageClassSpec(String name, Map<String, String> parameters, boolean expansion) {
    }

    static final List<StorageClassSpec> OPEN_LOCAL_CLASSES = List.of(
            new StorageClassSpec("open-local-lvm", Map.of("volumeType", "LVM", "csi.storage.k8s.io/fstype", "ext4"), true),
            new StorageClassSpec("open-local-lvm-xfs", Map.of("volumeType", "LVM", "csi.storage.k8s.io/fstype", "xfs"), true),
            new StorageClassSpec("open-local-lvm-io-throttle", Map.of("volumeType", "LVM"), true),
            new StorageClassSpec("open-local-device-ssd",
                    Map.of("volumeType", "Device", "mediaType", "ssd", "csi.storage.k8s.io/fstype", "ext4"), false),
            new StorageClassSpec("open-local-device-hdd",
                    Map.of("volumeType", "Device", "mediaType", "hdd", "csi.storage.k8s.io/fstype", "ext4"), false));

    static final StorageClassSpec SPDK_CLASS = new StorageClassSpec("open-local-spdk",
            Map.of("volumeType", "SPDK", "csi.storage.k8s.io/fstype", "ext4"), true);

    static final Map<String, String> LVM_SNAPSHOT_PARAMETERS = Map.of(
            "csi.aliyun.com/readonly", "true",
            "csi.aliyun.com/snapshot-initial-size", "4Gi",
            "csi.aliyun.com/snapshot-expansion-size", "1Gi",
            "csi.aliyun.com/snapshot-expansion-threshold", "50%");

    private Contract() {
    }
}
