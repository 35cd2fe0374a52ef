package io.openlocal.backend.spdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.export.Nqn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpdkSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SpdkSettings s = SpdkSettings.from("node-a", Map.of());
        assertThat(s.rpcSocket()).isEqualTo(Path.of("/var/tmp/spdk.sock"));
        assertThat(s.callTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.nvmfAddress()).isEqualTo("127.0.0.1");
        assertThat(s.nvmfAdrfam()).isEqualTo("IPv4");
        assertThat(s.nvmfPort()).isEqualTo(4420);
        assertThat(s.hostNqn()).isEqualTo(Nqn.defaultHostNqn("node-a"));
        assertThat(Nqn.defaultHostNqn("node-a")).isEqualTo(Nqn.defaultHostNqn("node-a"))
                .isNotEqualTo(Nqn.defaultHostNqn("node-b"));
        assertThat(s.nqnPrefix()).isEqualTo("nqn.2024-11.io.openlocal");
        assertThat(s.vhostSocketDir()).isEqualTo(Path.of("/var/tmp"));
        assertThat(s.clusterSizeBytes()).isEqualTo(4L << 20);
        assertThat(s.aioFileBlockSize()).isEqualTo(512);
        assertThat(s.attachTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(SpdkSettings.describeDefaults()).hasSize(SpdkSettings.KEYS.size());
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("rpcsocket", "/x"))).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("rpcsocket").hasMessageContaining("rpcSocket");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("rpcSocket", "relative.sock")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("rpcSocket");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("rpcSocket", "/" + "x".repeat(120))))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("107");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("callTimeoutMillis", "0")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("callTimeoutMillis");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("callTimeoutMillis", "soon")))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("nvmfAddress", "my-host.example")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("nvmfAddress");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("nvmfAddress", "300.1.1.1")))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("nvmfPort", "70000")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("nvmfPort");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("hostNqn", "host-1")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("hostNqn");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("nqnPrefix", "nqn.2024-11.io.openlocal:x")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("nqnPrefix");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("clusterSizeBytes", "5000000")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> SpdkSettings.from("n", Map.of("vhostSocketDir", "/var/../tmp")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("vhostSocketDir");
    }

    @Test
    void anIpv6ListenerAddressIsAccepted() {
        SpdkSettings s = SpdkSettings.from("n", Map.of("nvmfAddress", "fd00::12"));
        assertThat(s.nvmfAdrfam()).isEqualTo("IPv6");
    }

    @Test
    void nqnsFollowTheTargetsRules() {
        assertThat(Nqn.valid("nqn.2016-06.io.spdk:cnode1")).isTrue();
        assertThat(Nqn.valid("nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555")).isTrue();
        assertThat(Nqn.valid("not-a-valid-nqn")).isFalse();
        assertThat(Nqn.valid("nqn.2016-06.io.-spdk:x")).isFalse();
        assertThat(Nqn.valid("nqn.2016-06.io.spdk:")).isFalse();
        assertThat(Nqn.forVolume("nqn.2024-11.io.openlocal", "node-a", "p", "v")).isEqualTo("nqn.2024-11.io.openlocal:node-a:p:v");
        assertThatThrownBy(() -> Nqn.forVolume("nqn.2024-11.io.openlocal", "n".repeat(200), "p", "v"))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("223");
    }

    @Test
    void baseDeviceSyntaxIsAioPathOrNvmePciAddress() {
        assertThat(BaseDevice.parse("d", "aio:/dev/sdb")).isEqualTo(new BaseDevice.Aio(Path.of("/dev/sdb")));
        assertThat(BaseDevice.parse("d", "nvme:0000:01:00.0")).isEqualTo(new BaseDevice.Nvme("0000:01:00.0"));
        assertThat(BaseDevice.parse("d", "nvme:0000:AF:1f.7")).isEqualTo(new BaseDevice.Nvme("0000:af:1f.7"));
        assertThat(BaseDevice.parse("d", "aio:/dev/sdb").bdevName("pool1")).isEqualTo("ol-pool1");
        assertThat(BaseDevice.parse("d", "nvme:0000:01:00.0").bdevName("pool1")).isEqualTo("ol-pool1-nvmen1");
        for (String bad : new String[] {"", "/dev/sdb", "aio:", "aio:dev/sdb", "aio:/dev//sdb", "aio:/dev/../sdb",
                "aio:/dev/sd b", "nvme:01:00.0", "nvme:0000:01:00.8", "nvme:0000:01:20.0", "lvm:/dev/vg"}) {
            assertThatThrownBy(() -> BaseDevice.parse("device", bad)).as(bad)
                    .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("device");
        }
    }
}
