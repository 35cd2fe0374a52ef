package io.openlocal.csi.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import io.openlocal.config.csi.CsiConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The csi command's configuration: defaults, and every mistake refused with the key it is about. */
class CsiConfigTest {

    private static CsiConfig parse(String yaml) {
        return CsiConfig.from(Settings.fromYaml(yaml));
    }

    @Test
    void nodeModeDefaultsMatchTheChart() {
        CsiConfig config = CsiConfig.from(Settings.fromYaml("csi: {mode: node}").withOverride("nodeName", "n1"));
        assertThat(config.mode()).isEqualTo(CsiConfig.Mode.NODE);
        assertThat(config.nodeName()).contains("n1");
        assertThat(config.serverPort()).isEqualTo(23101);
        assertThat(config.nodeApiPort()).isEqualTo(1736);
        assertThat(config.socketPath()).isEqualTo(Path.of("/csi/csi.sock"));
        assertThat(config.tls().keyFile()).isEqualTo(Path.of("/etc/open-local/tls/tls.key"));
        assertThat(config.node().orElseThrow().allowedClientNames()).containsExactly("open-local-csi-controller");
        assertThat(config.node().orElseThrow().kubeletDir()).isEqualTo(Path.of("/var/lib/kubelet"));
    }

    @Test
    void controllerModeDefaultsMatchTheChart() {
        CsiConfig config = parse("csi: {mode: controller}\nnodeApi: {timeout: 30s}");
        assertThat(config.serverPort()).isEqualTo(23110);
        assertThat(config.controller().orElseThrow().serverName()).isEqualTo("open-local-node-api");
        assertThat(config.controller().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void unknownKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> parse("csi: {mode: controller, cgroupRoot: /x}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cgroupRoot");
        assertThatThrownBy(() -> parse("csi: {mode: controller}\nextender: {url: http://x}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("extender");
        assertThatThrownBy(() -> parse("csi: {mode: controller}\nnodeApi: {tls: {cert: /x}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cert");
    }

    @Test
    void keyOfTheOtherModeIsRefused() {
        assertThatThrownBy(() -> parse("csi: {mode: controller, kubeletDir: /var/lib/kubelet}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kubeletDir");
        assertThatThrownBy(() -> CsiConfig.from(Settings.fromYaml("csi: {mode: node}\nnodeApi: {serverName: x}")
                .withOverride("nodeName", "n1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("serverName");
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertThatThrownBy(() -> parse("csi: {mode: both}")).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("csi.mode"));
        assertThatThrownBy(() -> parse("csi: {}")).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("csi.mode"));
        assertThatThrownBy(() -> parse("csi: {mode: node}")).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("nodeName"));
        assertThatThrownBy(() -> CsiConfig.from(Settings.fromYaml("csi: {mode: node, deviceRegexp: '('}")
                .withOverride("nodeName", "n1"))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("csi.deviceRegexp"));
        assertThatThrownBy(() -> parse("csi: {mode: controller, endpoint: /csi/csi.sock}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("csi.endpoint");
        assertThatThrownBy(() -> parse("csi: {mode: controller}\nnodeApi: {port: 0}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nodeApi.port");
        assertThatThrownBy(() -> parse("nodeName: n1\ncsi: {mode: controller}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nodeName");
    }

    @Test
    void spdkSettingsAreForTheNodeAndReachTheBackendAsGiven() {
        CsiConfig node = CsiConfig.from(Settings.fromYaml("""
                csi: {mode: node}
                spdk: {rpcSocket: /run/spdk/spdk.sock, nvmfAddress: 10.0.0.7, nvmfPort: 4421}
                """).withOverride("nodeName", "n1"));
        assertThat(node.node().orElseThrow().spdk()).contains(Map.of("rpcSocket", "/run/spdk/spdk.sock",
                "nvmfAddress", "10.0.0.7", "nvmfPort", "4421"));
        assertThat(CsiConfig.from(Settings.fromYaml("csi: {mode: node}").withOverride("nodeName", "n1"))
                .node().orElseThrow().spdk()).isEmpty();
        assertThatThrownBy(() -> parse("csi: {mode: controller}\nspdk: {rpcSocket: /x.sock}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("spdk");
        assertThatThrownBy(() -> CsiConfig.from(Settings.fromYaml("csi: {mode: node}\nspdk: {rpcSocket: [a, b]}")
                .withOverride("nodeName", "n1"))).isInstanceOf(ConfigException.class).hasMessageContaining("spdk");
    }
}
