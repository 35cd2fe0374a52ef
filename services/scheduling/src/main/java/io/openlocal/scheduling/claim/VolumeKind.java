package io.openlocal.scheduling.claim;

/**
 * The kind of volume a StorageClass asks for ({@code volumeType} parameter). Wire names are Open-Local's and
 * case-sensitive; {@code SPDK} is ours.
 */
public enum VolumeKind {
    LVM("LVM", true),
    DEVICE("Device", false),
    MOUNT_POINT("MountPoint", false),
    SPDK("SPDK", true);

    private final String wireName;
    private final boolean shared;

    VolumeKind(String wireName, boolean shared) {
        this.wireName = wireName;
        this.shared = shared;
    }

    /** The value as written in StorageClasses, PV attributes and the allocation route. */
    public String wireName() {
        return wireName;
    }

    /** True for kinds carved out of a pool (LVM VG, SPDK lvstore); false for whole exclusive disks. */
    public boolean shared() {
        return shared;
    }

    /** The kind with exactly this wire name, or null. */
    public static VolumeKind fromWireName(String value) {
        for (VolumeKind kind : values()) {
            if (kind.wireName.equals(value)) {
                return kind;
            }
        }
        return null;
    }
}
