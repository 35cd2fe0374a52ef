package io.openlocal.backend.pool;

import io.openlocal.backend.error.StorageException;

/**
 * The kinds of pool, named as Open-Local's StorageClass parameter {@code volumeType} names them
 * (case-sensitive there, so here too).
 */
public enum PoolType {
    /** A shared LVM volume group; volumes are logical volumes. */
    LVM("LVM"),
    /** An exclusive whole block device; one volume takes the whole device. */
    DEVICE("Device"),
    /** An exclusive mounted filesystem; one volume takes the whole mount point. */
    MOUNT_POINT("MountPoint"),
    /** A shared SPDK lvstore; volumes are lvols exported over NVMe-oF/TCP or vhost-blk. */
    SPDK("SPDK");

    private final String volumeType;

    PoolType(String volumeType) {
        this.volumeType = volumeType;
    }

    /** The StorageClass {@code volumeType} value for this kind. */
    public String volumeType() {
        return volumeType;
    }

    /** Parses a StorageClass {@code volumeType} value, exactly as Open-Local spells it. */
    public static PoolType fromVolumeType(String value) {
        for (PoolType t : values()) {
            if (t.volumeType.equals(value)) {
                return t;
            }
        }
        throw new StorageException.InvalidArgument("volumeType: unknown value '" + value
                + "' (expected one of LVM, Device, MountPoint, SPDK; case-sensitive)");
    }
}
