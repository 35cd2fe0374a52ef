package io.openlocal.backend.volume;

import io.openlocal.backend.pool.PoolType;
import java.util.Objects;

/**
 * Where a volume lives: enough to find it again without any in-memory table.
 *
 * @param type the backend
 * @param pool the pool name (VG, device path, mount path, lvstore)
 * @param name the volume's name inside the pool (for exclusive pools, the claim name)
 */
public record VolumeRef(PoolType type, String pool, String name) {

    public VolumeRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return type.volumeType() + ":" + pool + "/" + name;
    }
}
