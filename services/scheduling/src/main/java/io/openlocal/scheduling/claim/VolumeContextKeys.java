package io.openlocal.scheduling.claim;

/**
 * Keys of an Open-Local PV's CSI volume attributes that say where the volume lives (as Open-Local v0.8.0 writes
 * them): the CSI plugin writes them, the extender reads them to rebuild its ledger.
 */
public final class VolumeContextKeys {

    /** {@code LVM}, {@code Device}, {@code MountPoint} or {@code SPDK}. */
    public static final String VOLUME_TYPE = "volumeType";
    /** The VG of an LVM volume (for SPDK: the lvstore). */
    public static final String VG_NAME = "vgName";
    /** The device of a Device volume, e.g. {@code /dev/sdb}. */
    public static final String DEVICE = "Device";
    /** The mount point path of a MountPoint volume. */
    public static final String MOUNT_POINT = "MountPoint";
    /** PV annotation with JSON {@code {"vgName":..,"deviceName":..,"volumeType":..}} (Open-Local, optional). */
    public static final String ALLOCATED_ANNOTATION = "csi.aliyun.com/pv-allocated";

    private VolumeContextKeys() {
    }
}
