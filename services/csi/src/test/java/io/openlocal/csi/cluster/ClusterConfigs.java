package io.openlocal.csi.cluster;

import io.openlocal.config.Settings;
import io.openlocal.config.csi.CsiConfig;
import io.openlocal.csi.nodeapi.TestPki;
import java.nio.file.Path;

/** The YAML configurations of a node-mode and a controller-mode plugin on loopback, for tests. */
final class ClusterConfigs {

    private ClusterConfigs() {
    }

    /**
     * A node plugin for {@code nodeName} with its sockets and state under {@code work}, placing volumes only in
     * VGs matching {@code vgInclude} and on the one disk {@code deviceName}.
     */
    static CsiConfig node(String nodeName, Path work, TestPki.Files3 tls, String vgInclude, String deviceName) {
        return CsiConfig.from(Settings.fromYaml("""
                server: {host: 127.0.0.1, port: 0}
                csi:
                  mode: node
                  endpoint: unix://%s
                  kubeletDir: %s
                  stateDir: %s
                  vgInclude: ["%s"]
                  deviceRegexp: "^%s$"
                nodeApi:
                  host: 127.0.0.1
                  port: 0
                  tls: {certFile: %s, keyFile: %s, caFile: %s}
                  allowedClientNames: [open-local-csi-controller]
                """.formatted(work.resolve("node.sock"), work.resolve("kubelet"), work.resolve("state"), vgInclude,
                deviceName, tls.certificate(), tls.key(), tls.ca())).withOverride("nodeName", nodeName));
    }

    /** A controller plugin dialling node plugins on {@code nodeApiPort} and following Nodes at {@code apiUrl}. */
    static CsiConfig controller(Path work, TestPki.Files3 tls, int nodeApiPort, String apiUrl) {
        return CsiConfig.from(Settings.fromYaml("""
                server: {host: 127.0.0.1, port: 0}
                csi: {mode: controller, endpoint: "unix://%s"}
                nodeApi:
                  port: %d
                  serverName: open-local-node-api
                  timeout: 20s
                  tls: {certFile: %s, keyFile: %s, caFile: %s}
                kubernetes: {url: "%s"}
                """.formatted(work.resolve("controller.sock"), nodeApiPort, tls.certificate(), tls.key(), tls.ca(),
                apiUrl)));
    }
}
