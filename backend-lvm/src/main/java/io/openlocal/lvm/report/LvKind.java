package io.openlocal.lvm.report;

/** What an LV is, as far as this backend cares; derived from lvm2's {@code lv_layout} and {@code lv_role}. */
public enum LvKind {
    LINEAR("linear"),
    STRIPED("striped"),
    THIN("thin"),
    THIN_POOL("thin-pool"),
    /** A copy-on-write (thick) snapshot: the LV holds the changed blocks of its origin. */
    SNAPSHOT("snapshot"),
    /** A snapshot inside a thin pool. */
    THIN_SNAPSHOT("thin-snapshot"),
    /** RAID, mirror, cache, VDO and anything else this backend does not create. */
    OTHER("other");

    private final String label;

    LvKind(String label) {
        this.label = label;
    }

    /** The name used in volume attributes and in the {@code lvType} parameter. */
    public String label() {
        return label;
    }

    public boolean isSnapshot() {
        return this == SNAPSHOT || this == THIN_SNAPSHOT;
    }

    /** Whether operations on such an LV need the kernel's device-mapper (thin pools and snapshots do). */
    public boolean needsDeviceMapper() {
        return this == THIN || this == THIN_POOL || this == SNAPSHOT || this == THIN_SNAPSHOT;
    }
}
