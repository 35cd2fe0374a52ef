package io.openlocal.agent.testing;

import io.openlocal.agent.AgentConfig.BackendConfig;
import io.openlocal.agent.backend.NodeBackends;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A node made of memory backends: LVM, Device, MountPoint and SPDK, plus the set of device paths that exist. */
public final class MemoryNode {

    public final MemoryBackend lvm = new MemoryBackend(PoolType.LVM);
    public final MemoryBackend devices = new MemoryBackend(PoolType.DEVICE);
    public final MemoryBackend mountPoints = new MemoryBackend(PoolType.MOUNT_POINT);
    public final MemoryBackend spdk = new MemoryBackend(PoolType.SPDK);
    public final Set<String> existingDevices = ConcurrentHashMap.newKeySet();

    public BackendRegistry registry() {
        return BackendRegistry.of(List.of(lvm.provider(), devices.provider(), mountPoints.provider(), spdk.provider()));
    }

    public static Map<PoolType, BackendConfig> allEnabled() {
        return Map.of(PoolType.LVM, new BackendConfig(true, Map.of()),
                PoolType.DEVICE, new BackendConfig(true, Map.of()),
                PoolType.MOUNT_POINT, new BackendConfig(true, Map.of()),
                PoolType.SPDK, new BackendConfig(false, Map.of("timeoutSeconds", "5")));
    }

    public NodeBackends backends() {
        return new NodeBackends("node-1", registry(), command -> {
            throw new StorageException.Unavailable("memory node runs no commands: " + command.display());
        }, Path.of("/var/tmp/open-local-memory-node"), allEnabled());
    }

    /** Adds a device that exists and is reported by the Device backend. */
    public MemoryNode device(String path, boolean inUse) {
        existingDevices.add(path);
        devices.withDevice(path, inUse);
        return this;
    }
}
