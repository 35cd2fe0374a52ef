package io.openlocal.csi.nodeapi;

import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;
import java.util.Optional;

/**
 * How the Node service reaches a volume's block device on this node when the volume is not a device node by
 * itself (SPDK lvols live in the target's memory and reach the kernel through an NVMe-oF/TCP export). Staging
 * attaches, unstaging detaches; LVM and Device volumes never need either.
 */
public interface LocalDevices {

    /** Whether volumes of this type are attached before use. */
    boolean attaches(PoolType type);

    /** Attaches the volume (idempotent) and returns its block device. */
    String attach(VolumeRef ref);

    /** Detaches the volume; not attached is success. */
    void detach(VolumeRef ref);

    /** The block device of an attached volume, without attaching it. */
    Optional<String> attachedDevice(VolumeRef ref);
}
