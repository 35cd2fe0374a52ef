package io.openlocal.device;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendProvider;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.device.mountpoint.MountPointBackend;
import java.util.Set;

/**
 * Serves Open-Local's two exclusive volume types, {@code Device} and {@code MountPoint}, from one set of settings
 * ({@link DeviceSettings}) and one state directory, so each sees the other's claims.
 */
public final class DeviceBackendProvider implements BackendProvider {

    @Override
    public Set<PoolType> types() {
        return Set.of(PoolType.DEVICE, PoolType.MOUNT_POINT);
    }

    @Override
    public Backend create(PoolType type, BackendContext context) {
        DeviceSettings settings = DeviceSettings.parse(context.settings());
        return switch (type) {
            case DEVICE -> new DeviceBackend(settings, context.runner(), context.stateDir(), context.progress());
            case MOUNT_POINT -> new MountPointBackend(settings, context.runner(), context.stateDir(),
                    context.progress());
            default -> throw new StorageException.InvalidArgument("type: this provider serves Device and MountPoint, "
                    + "not " + type.volumeType());
        };
    }
}
