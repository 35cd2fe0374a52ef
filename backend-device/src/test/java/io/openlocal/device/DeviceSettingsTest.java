package io.openlocal.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceSettingsTest {

    @Test
    void defaultsAreOpenLocals() {
        DeviceSettings settings = DeviceSettings.defaults();
        assertThat(settings.devices().include().pattern()).isEqualTo("^(s|v|xv)d[a-z]+$");
        assertThat(settings.devices().exclude()).isEmpty();
        assertThat(settings.mountPointRoot()).isEqualTo(Path.of("/mnt/open-local"));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.mkfsTimeout()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void everyKeyIsRead() {
        DeviceSettings settings = DeviceSettings.parse(Map.of("device.include", "^loop[0-9]+$",
                "device.exclude", "^loop0$", "mountpoint.root", "/srv/pools", "mountpoint.include", "^/srv/pools/a",
                "mountpoint.exclude", "tmp", "command.timeoutSeconds", "5", "mkfs.timeoutSeconds", "120"));
        assertThat(settings.devices().accepts("loop3", "/dev/loop3")).isTrue();
        assertThat(settings.devices().accepts("loop0", "/dev/loop0")).isFalse();
        assertThat(settings.mountPointRoot()).isEqualTo(Path.of("/srv/pools"));
        assertThat(settings.mountPoints().accepts("/srv/pools/a1")).isTrue();
        assertThat(settings.mountPoints().accepts("/srv/pools/atmp")).isFalse();
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.mkfsTimeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void unknownKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> DeviceSettings.parse(Map.of("device.includes", "x")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("'device.includes'");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> DeviceSettings.parse(Map.of("device.include", "(")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("device.include:");
        assertThatThrownBy(() -> DeviceSettings.parse(Map.of("mountpoint.root", "relative")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("mountpoint.root:");
        assertThatThrownBy(() -> DeviceSettings.parse(Map.of("mountpoint.root", "/")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("mountpoint.root:");
        assertThatThrownBy(() -> DeviceSettings.parse(Map.of("mountpoint.root", "/mnt/../etc")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("mountpoint.root:");
        assertThatThrownBy(() -> DeviceSettings.parse(Map.of("command.timeoutSeconds", "0")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("command.timeoutSeconds:");
        assertThatThrownBy(() -> DeviceSettings.parse(Map.of("mkfs.timeoutSeconds", "ten")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("mkfs.timeoutSeconds:");
    }
}
