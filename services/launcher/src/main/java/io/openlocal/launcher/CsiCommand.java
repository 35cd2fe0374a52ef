package io.openlocal.launcher;

import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.config.csi.CsiConfig;
import io.openlocal.csi.cluster.CsiControllerPlugin;
import io.openlocal.csi.cluster.CsiNodePlugin;
import io.openlocal.launcher.standalone.Version;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code open-local csi}: the CSI plugin in a cluster, node or controller by {@code csi.mode} in the file. */
@Command(name = "csi", mixinStandardHelpOptions = true,
        description = {"Run the CSI plugin in a cluster. csi.mode: node serves CSI Identity + Node on the socket and "
                + "the node API (gRPC, mutual TLS); csi.mode: controller serves CSI Identity + Controller and reaches "
                + "each node's plugin over the node API. Keys: CsiConfig (config module), docs/architecture.md."})
final class CsiCommand implements Runnable {

    @Mixin
    LogOptions logging;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "YAML configuration (csi keys; csi.mode is required).")
    Path config;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name (node mode); wins over the file's nodeName (the chart passes "
                    + "$(NODE_NAME)).")
    String nodeName;

    @Override
    public void run() {
        logging.apply();
        CsiConfig parsed = CsiConfig.from(Daemons.settings(config).withOverride("nodeName", nodeName));
        if (parsed.mode() == CsiConfig.Mode.NODE) {
            CsiNodePlugin plugin = CsiNodePlugin.start(parsed, ProcessCommandRunner.standard(), Version.text());
            Daemons.runUntilStopped("csi", plugin, "node plugin for " + parsed.nodeName().orElseThrow()
                    + " on " + plugin.socket() + "; node API on port " + plugin.nodeApiPort()
                    + "; health and metrics on port " + plugin.httpPort());
        } else {
            CsiControllerPlugin plugin = CsiControllerPlugin.start(parsed, Version.text());
            Daemons.runUntilStopped("csi", plugin, "controller on " + plugin.socket()
                    + "; health and metrics on port " + plugin.httpPort());
        }
    }
}
