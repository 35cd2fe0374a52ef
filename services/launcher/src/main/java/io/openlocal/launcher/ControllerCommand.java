package io.openlocal.launcher;

import io.openlocal.controller.ControllerConfig;
import io.openlocal.controller.ControllerDaemon;
import io.openlocal.controller.ControllerHandle;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code open-local controller}: NodeLocalStorageInitConfig → one NodeLocalStorage per node, leader-elected. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = {"Run the controller: keep one NodeLocalStorage per node in line with the "
                + "NodeLocalStorageInitConfig, leader-elected. Keys: docs/control-plane.md."})
final class ControllerCommand implements Runnable {

    @Mixin
    LogOptions logging;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (controller keys).")
    Path config;

    @Override
    public void run() {
        logging.apply();
        ControllerConfig parsed = ControllerConfig.from(Daemons.settings(config));
        ControllerHandle handle = ControllerDaemon.start(parsed);
        Daemons.runUntilStopped("controller", handle, "following NodeLocalStorageInitConfig "
                + parsed.initConfig() + "; health and metrics on port " + handle.port());
    }
}
