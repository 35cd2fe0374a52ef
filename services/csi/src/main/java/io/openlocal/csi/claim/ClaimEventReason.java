package io.openlocal.csi.claim;

/**
 * The reasons of the Warning Events the CSI controller records on a claim (docs/operations.md, "Events on
 * claims"). The wire names are part of the interface: alerts and scripts match on them.
 */
public enum ClaimEventReason {
    /** A shared pool (LVM VG, SPDK lvstore) on the chosen node has too little free space. */
    NO_SPACE("ProvisioningFailedNoSpace"),
    /** No free exclusive device or mount point of the wanted media type and size on the chosen node. */
    NO_DEVICE("ProvisioningFailedNoDevice"),
    /** The pool the StorageClass names (vgName), or any pool of the volume type, is not on the chosen node. */
    NO_POOL("ProvisioningFailedNoPool"),
    /** The size the pool would allocate (rounded up to its extent) is above the claim's limit. */
    CAPACITY_RANGE("ProvisioningFailedCapacityRange"),
    /** A StorageClass parameter is unknown, malformed or does not apply to the volume type. */
    INVALID_PARAMETER("InvalidStorageClassParameter");

    private final String wireName;

    ClaimEventReason(String wireName) {
        this.wireName = wireName;
    }

    /** The Event's {@code reason}. */
    public String wireName() {
        return wireName;
    }
}
