package io.openlocal.config.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StandaloneConfigTest {

    @Test
    void shippedDefaultFileDescribesOneLvmPoolAndFourDevices() {
        StandaloneConfig config = StandaloneConfig.from(Settings.fromFile(Path.of("standalone.yaml")));
        assertThat(config.lvmPools()).hasSize(1);
        assertThat(config.lvmPools().getFirst().sizeBytes()).isEqualTo(1L << 30);
        assertThat(config.devices()).hasSize(4).allMatch(d -> d.sizeBytes() == 256L << 20);
        assertThat(config.devices()).filteredOn(StandaloneConfig.Device::solidState).hasSize(2);
        assertThat(config.endpoint()).isEqualTo("unix:///var/lib/open-local/standalone/csi/csi.sock");
        assertThat(config.kubeletDir()).isEqualTo(Path.of("/var/lib/open-local/standalone/kubelet"));
        assertThat(config.csi().driverName()).isEqualTo("local.csi.aliyun.com");
    }

    @Test
    void misspeltKeyIsAnErrorNamingIt() {
        assertThatThrownBy(() -> StandaloneConfig.from(Settings.fromYaml("pools:\n  lvm: []\n  disks: []\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pools").hasMessageContaining("disks");
    }

    @Test
    void badMediaTypeNamesTheKey() {
        assertThatThrownBy(() -> StandaloneConfig.from(Settings.fromYaml(
                "pools:\n  devices:\n    - size: 64Mi\n      mediaType: nvme\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pools.devices.0.mediaType");
    }

    @Test
    void relativeStateDirIsRefused() {
        assertThatThrownBy(() -> StandaloneConfig.from(Settings.fromYaml("stateDir: here\npools:\n  lvm:\n"
                + "    - name: vg0\n      size: 128Mi\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("stateDir");
    }

    @Test
    void endpointMustBeAUnixUrl() {
        assertThatThrownBy(() -> StandaloneConfig.from(Settings.fromYaml("csi:\n  endpoint: tcp://0.0.0.0:1\n"
                + "pools:\n  lvm:\n    - name: vg0\n      size: 128Mi\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("csi.endpoint");
    }

    @Test
    void noPoolsIsAnError() {
        assertThatThrownBy(() -> StandaloneConfig.from(Settings.fromYaml("strategy: spread\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pools");
    }
}
