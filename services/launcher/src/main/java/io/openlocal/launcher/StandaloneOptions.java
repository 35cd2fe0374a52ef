package io.openlocal.launcher;

import io.openlocal.config.Settings;
import io.openlocal.config.standalone.StandaloneConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that locate a standalone setup, shared by {@code standalone} and {@code demo}. */
final class StandaloneOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Standalone configuration (default: config/standalone.yaml shipped with open-local).")
    Path config;

    @Option(names = "--csi-endpoint", paramLabel = "unix:///PATH",
            description = "CSI socket (default: unix://<state-dir>/csi/csi.sock).")
    String csiEndpoint;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where loop files, records, the socket and the kubelet directory live "
                    + "(default: /var/lib/open-local/standalone).")
    Path stateDir;

    StandaloneConfig load() {
        StandaloneConfig loaded = StandaloneConfig.from(config != null ? Settings.fromFile(config) : defaults());
        if (stateDir != null) {
            loaded = loaded.withStateDir(stateDir.toAbsolutePath().normalize());
        }
        if (csiEndpoint != null) {
            loaded = loaded.withEndpoint(csiEndpoint);
        }
        return loaded;
    }

    private static Settings defaults() {
        try (InputStream in = StandaloneOptions.class.getResourceAsStream("standalone.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the default standalone.yaml is missing from the launcher jar");
            }
            return Settings.fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
