package io.openlocal.backend.pool;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pool as discovered on the node: a volume group, an exclusive device, a mount point or an lvstore.
 *
 * @param name       the pool's name (VG name, device path, mount path, lvstore name)
 * @param type       the kind of pool
 * @param capacity   space figures
 * @param devices    the block devices or bdevs under it
 * @param mediaType  hdd/ssd where known (devices, mount points)
 * @param readOnly   whether the pool can take writes at all
 * @param inUse      for exclusive pools: claimed by a volume (or holding foreign data); for shared pools false
 * @param attributes backend-specific facts worth reporting (extent size, cluster size, uuid...)
 */
public record PoolInfo(String name, PoolType type, Capacity capacity, List<String> devices, MediaType mediaType,
                       boolean readOnly, boolean inUse, Map<String, String> attributes) {

    public PoolInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(capacity, "capacity");
        devices = List.copyOf(devices);
        mediaType = mediaType == null ? MediaType.UNKNOWN : mediaType;
        attributes = Map.copyOf(attributes);
    }
}
