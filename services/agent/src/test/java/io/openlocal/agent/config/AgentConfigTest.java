package io.openlocal.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.agent.AgentConfig;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void defaultsNeedOnlyTheNodeName() {
        AgentConfig c = AgentConfig.from(Settings.fromYaml("nodeName: node-1\n"));
        assertThat(c.nodeName()).isEqualTo("node-1");
        assertThat(c.discoveryInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/open-local"));
        assertThat(c.serverPort()).isEqualTo(1737);
        assertThat(c.kubeUrl()).isEmpty();
        assertThat(c.backend(PoolType.LVM).enabled()).isTrue();
        assertThat(c.backend(PoolType.SPDK).enabled()).isFalse();
    }

    @Test
    void everyKeyIsRead() {
        AgentConfig c = AgentConfig.from(Settings.fromYaml("""
                nodeName: worker-7
                discoveryInterval: 15s
                stateDir: /srv/open-local
                initRetryMax: 10m
                kubernetes:
                  url: http://127.0.0.1:8001
                server:
                  host: 127.0.0.1
                  port: 0
                backends:
                  lvm:
                    settings:
                      lvNamePrefix: local
                  device:
                    settings:
                      device.include: "^loop[0-9]+$"
                  mountPoint:
                    enabled: false
                  spdk:
                    settings:
                      timeoutSeconds: "5"
                """));
        assertThat(c.discoveryInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.initRetryMax()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.kubeUrl()).contains("http://127.0.0.1:8001");
        assertThat(c.serverHost()).isEqualTo("127.0.0.1");
        assertThat(c.serverPort()).isZero();
        assertThat(c.backend(PoolType.LVM).settings()).containsEntry("lvNamePrefix", "local");
        assertThat(c.backend(PoolType.DEVICE).settings()).containsEntry("device.include", "^loop[0-9]+$");
        // one backend module serves Device and MountPoint: they share the device settings
        assertThat(c.backend(PoolType.MOUNT_POINT).settings()).isEqualTo(c.backend(PoolType.DEVICE).settings());
        assertThat(c.backend(PoolType.MOUNT_POINT).enabled()).isFalse();
        assertThat(c.backend(PoolType.SPDK).settings()).containsEntry("timeoutSeconds", "5");
    }

    @Test
    void mistakesNameTheirKey() {
        assertThatThrownBy(() -> AgentConfig.from(Settings.fromYaml("nodeName: n\ndiscoveryIntervall: 5s\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("discoveryIntervall");
        assertThatThrownBy(() -> AgentConfig.from(Settings.fromYaml("discoveryInterval: 5s\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nodeName");
        assertThatThrownBy(() -> AgentConfig.from(Settings.fromYaml("nodeName: Node_1\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'Node_1' is not a Kubernetes node name");
        assertThatThrownBy(() -> AgentConfig.from(Settings.fromYaml("nodeName: n\ndiscoveryInterval: 0s\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("discoveryInterval");
        assertThatThrownBy(() -> AgentConfig.from(Settings.fromYaml("nodeName: n\nbackends:\n  zfs: {}\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("zfs");
        assertThatThrownBy(() -> AgentConfig.from(Settings.fromYaml("nodeName: n\nstateDir: relative\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("stateDir");
    }
}
