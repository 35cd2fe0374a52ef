package io.openlocal.backend.spdk;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;

/**
 * Name rules for SPDK objects, checked before any call: lvstore (pool), lvol and snapshot names at most 63
 * characters (the target's limit) with the characters {@link Names} allows (no '/', no spaces); a pool
 * Open-Local creates at most 48, so the NVMe controller name derived from it stays under the target's 63.
 */
public final class SpdkNames {

    public static final int MAX_NEW_POOL_NAME = 48;
    public static final int MAX_POOL_NAME = 63;
    public static final int MAX_VOLUME_NAME = 63;

    private SpdkNames() {
    }

    public static String pool(String field, String name) {
        return Names.requireObjectName(field, name, MAX_POOL_NAME);
    }

    /** A pool Open-Local is about to create. */
    public static String newPool(String field, String name) {
        return Names.requireObjectName(field, name, MAX_NEW_POOL_NAME);
    }

    public static String volume(String field, String name) {
        return Names.requireObjectName(field, name, MAX_VOLUME_NAME);
    }

    /** Checks a reference to an SPDK volume or snapshot. */
    public static VolumeRef ref(String field, VolumeRef ref) {
        if (ref == null) {
            throw new StorageException.InvalidArgument(field + ": must not be null");
        }
        if (ref.type() != PoolType.SPDK) {
            throw new StorageException.InvalidArgument(field + ": " + ref + " is not an SPDK volume");
        }
        pool(field + ".pool", ref.pool());
        volume(field + ".name", ref.name());
        return ref;
    }

    /** The lvol's alias on the target. */
    public static String alias(VolumeRef ref) {
        return ref.pool() + "/" + ref.name();
    }

    public static String alias(String pool, String name) {
        return pool + "/" + name;
    }
}
