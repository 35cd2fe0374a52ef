package io.openlocal.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import io.openlocal.controller.ControllerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {

    @Test
    void defaultsFollowOpenLocal() {
        ControllerConfig c = ControllerConfig.from(Settings.fromYaml("{}"));
        assertThat(c.initConfig()).isEqualTo("open-local");
        assertThat(c.updateNls()).isTrue();
        assertThat(c.leaderElection()).isTrue();
        assertThat(c.leaseNamespace()).isEqualTo("kube-system");
        assertThat(c.leaseName()).isEqualTo("open-local-controller");
        assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.serverPort()).isEqualTo(1738);
        assertThat(c.identity()).contains("_");
    }

    @Test
    void everyKeyIsRead() {
        ControllerConfig c = ControllerConfig.from(Settings.fromYaml("""
                initConfig: my-config
                updateNls: false
                workers: 4
                resync: 0s
                kubernetes:
                  kubeconfig: /etc/kube/config
                leaderElection:
                  enabled: false
                  namespace: storage
                  leaseName: ol
                  identity: me
                  leaseDuration: 30s
                  renewDeadline: 20s
                  retryPeriod: 5s
                server:
                  port: 0
                """));
        assertThat(c.initConfig()).isEqualTo("my-config");
        assertThat(c.updateNls()).isFalse();
        assertThat(c.workers()).isEqualTo(4);
        assertThat(c.resync()).isZero();
        assertThat(c.kubeconfig()).contains(Path.of("/etc/kube/config"));
        assertThat(c.leaderElection()).isFalse();
        assertThat(c.leaseNamespace()).isEqualTo("storage");
        assertThat(c.identity()).isEqualTo("me");
        assertThat(c.retryPeriod()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void mistakesNameTheirKey() {
        assertThatThrownBy(() -> ControllerConfig.from(Settings.fromYaml("update_nls: true\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("update_nls");
        assertThatThrownBy(() -> ControllerConfig.from(Settings.fromYaml("initConfig: Open_Local\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("initConfig");
        assertThatThrownBy(() -> ControllerConfig.from(Settings.fromYaml(
                "leaderElection:\n  leaseDuration: 5s\n  renewDeadline: 10s\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("leaderElection")
                .hasMessageContaining("leaseDuration > renewDeadline");
        assertThatThrownBy(() -> ControllerConfig.from(Settings.fromYaml("workers: 0\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("workers");
    }
}
