package io.openlocal.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.Capability;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.device.mountpoint.MountPointBackend;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceBackendProviderTest {

    private static BackendContext context(Path state, Map<String, String> settings) {
        return new BackendContext("node-1", ProcessCommandRunner.standard(), state, settings);
    }

    @Test
    void serviceLoaderFindsOneProviderForBothExclusiveTypes(@TempDir Path state) {
        BackendRegistry registry = BackendRegistry.load();
        assertThat(registry.types()).contains(PoolType.DEVICE, PoolType.MOUNT_POINT);
        Backend device = registry.create(PoolType.DEVICE, context(state, Map.of()));
        Backend mountPoint = registry.create(PoolType.MOUNT_POINT, context(state, Map.of()));
        assertThat(device).isInstanceOf(DeviceBackend.class);
        assertThat(mountPoint).isInstanceOf(MountPointBackend.class);
        assertThat(device.type()).isEqualTo(PoolType.DEVICE);
        assertThat(mountPoint.type()).isEqualTo(PoolType.MOUNT_POINT);
        assertThat(device.capabilities()).containsExactly(Capability.EXCLUSIVE);
    }

    @Test
    void healthIsReadyWhereTheToolsRun(@TempDir Path state) {
        DeviceBackendProvider provider = new DeviceBackendProvider();
        assertThat(provider.create(PoolType.DEVICE, context(state, Map.of())).health().ready()).isTrue();
        assertThat(provider.create(PoolType.MOUNT_POINT, context(state, Map.of())).health().ready()).isTrue();
    }

    @Test
    void healthNamesTheMissingTool(@TempDir Path state) {
        BackendContext noTools = new BackendContext("node-1", command -> {
            throw new StorageException.Unavailable("cannot run '" + command.program() + "'");
        }, state, Map.of());
        var health = new DeviceBackendProvider().create(PoolType.DEVICE, noTools).health();
        assertThat(health.ready()).isFalse();
        assertThat(health.missing()).containsExactly("lsblk", "blkid", "wipefs");
    }

    @Test
    void badSettingsAreRefusedNamingTheKey(@TempDir Path state) {
        DeviceBackendProvider provider = new DeviceBackendProvider();
        assertThatThrownBy(() -> provider.create(PoolType.DEVICE, context(state, Map.of("device.include", "(("))))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("device.include:");
        assertThatThrownBy(() -> provider.create(PoolType.MOUNT_POINT, context(state, Map.of("vg", "x"))))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("'vg'");
        assertThatThrownBy(() -> provider.create(PoolType.LVM, context(state, Map.of())))
                .isInstanceOf(StorageException.InvalidArgument.class);
    }
}
