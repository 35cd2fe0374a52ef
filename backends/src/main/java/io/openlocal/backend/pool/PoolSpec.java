package io.openlocal.backend.pool;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node's configuration asks to be initialised: a VG from devices, an lvstore on a bdev, a
 * filesystem on a device for a mount point.
 *
 * @param name    the pool to create (VG name, lvstore name, mount path)
 * @param type    which backend initialises it
 * @param devices what it is made from (device paths; for SPDK a base bdev description)
 * @param force   initialise even over existing signatures; never implied
 * @param options backend-specific options (for example {@code fsType}, {@code clusterSizeBytes}); a backend
 *                rejects keys it does not know
 */
public record PoolSpec(String name, PoolType type, List<String> devices, boolean force, Map<String, String> options) {

    public PoolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        devices = List.copyOf(devices);
        options = Map.copyOf(options);
    }
}
