package io.openlocal.backend;

/** What a backend can do beyond create, delete and discover. Callers check before asking. */
public enum Capability {
    /** Volumes can grow. */
    EXPAND,
    /** Point-in-time snapshots. */
    SNAPSHOT,
    /** New volumes from a snapshot or another volume. */
    CLONE,
    /** Thin (over-provisioned) volumes. */
    THIN,
    /** Striped layouts across devices. */
    STRIPED,
    /** Volumes are whole devices handed out exclusively. */
    EXCLUSIVE,
    /**
     * Volumes are not kernel block devices by themselves: the node reaches one through an export it attaches
     * ({@link Backend#attach}) before staging and detaches after unstaging (SPDK over NVMe-oF/TCP).
     */
    ATTACH
}
