package io.openlocal.csi.volume;

import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.csi.v1.VolumeCondition;

/** The CSI volume condition of a volume as its backend reports it. */
public final class Conditions {

    private Conditions() {
    }

    public static VolumeCondition normal(String message) {
        return VolumeCondition.newBuilder().setAbnormal(false).setMessage(message).build();
    }

    public static VolumeCondition abnormal(String message) {
        return VolumeCondition.newBuilder().setAbnormal(true).setMessage(message).build();
    }

    /**
     * Abnormal when a volume that needs a block device has none on its node now. SPDK volumes get theirs when a
     * node attaches them, so being present in their lvstore is normal.
     */
    public static VolumeCondition of(Volume volume) {
        PoolType type = volume.ref().type();
        if (type == PoolType.MOUNT_POINT || type == PoolType.SPDK || volume.devicePath().isPresent()) {
            return normal("volume " + volume.ref() + " is present");
        }
        String active = volume.attributes().get("active");
        return abnormal("volume " + volume.ref() + " has no block device on its node"
                + (active != null ? " (activation state: " + active + ")" : "")
                + (volume.ref().type() == PoolType.LVM ? "; LVM activation needs the kernel's device-mapper" : ""));
    }
}
