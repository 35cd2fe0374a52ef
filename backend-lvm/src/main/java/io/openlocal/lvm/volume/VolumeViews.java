package io.openlocal.lvm.volume;

import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeUsage;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Turns reported LVs into the SPI's volume, snapshot and usage values. */
public final class VolumeViews {

    private final Ownership ownership;
    private final boolean deviceMapper;

    public VolumeViews(Ownership ownership, boolean deviceMapper) {
        this.ownership = ownership;
        this.deviceMapper = deviceMapper;
    }

    public Volume volume(String vg, LvReport lv) {
        // A device node exists only for an LV the kernel has active; without device-mapper there is none.
        Optional<String> devicePath = deviceMapper && lv.isActive() && !lv.path().isEmpty()
                ? Optional.of(lv.path()) : Optional.empty();
        return new Volume(ref(vg, lv.name()), lv.sizeBytes(), devicePath, ownership.owns(lv), attributes(lv));
    }

    public Snapshot snapshot(String vg, LvReport lv) {
        long capturedBytes = lv.kind() == LvKind.SNAPSHOT ? lv.originSizeBytes() : lv.sizeBytes();
        return new Snapshot(ref(vg, lv.name()), ref(vg, lv.origin()), capturedBytes, lv.createdEpochMillis(),
                !lv.invalidSnapshot());
    }

    /**
     * Space an LV holds in the VG. Thin volumes hold what the kernel reports as used (all of their size when it
     * cannot say); copy-on-write snapshots hold their COW area; everything else its whole size.
     */
    public VolumeUsage usage(LvReport lv, long extentSizeBytes) {
        if (lv.kind() == LvKind.THIN || lv.kind() == LvKind.THIN_SNAPSHOT) {
            long used = lv.dataPercent().isPresent()
                    ? (long) Math.ceil(lv.sizeBytes() * lv.dataPercent().getAsDouble() / 100.0) : lv.sizeBytes();
            return new VolumeUsage(lv.sizeBytes(), Math.min(used, lv.sizeBytes()));
        }
        long physical = lv.allocatedExtents() * extentSizeBytes;
        return new VolumeUsage(lv.sizeBytes(), physical > 0 ? physical : lv.sizeBytes());
    }

    private static VolumeRef ref(String vg, String name) {
        return new VolumeRef(PoolType.LVM, vg, name);
    }

    private static Map<String, String> attributes(LvReport lv) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("lvType", lv.kind().label());
        attributes.put("uuid", lv.uuid());
        attributes.put("lvAttr", lv.attr());
        attributes.put("tags", String.join(",", lv.tags()));
        attributes.put("active", lv.active().isEmpty() ? "inactive" : lv.active());
        if (lv.kind() == LvKind.STRIPED) {
            attributes.put("stripes", Integer.toString(lv.stripes()));
            attributes.put("stripeSizeBytes", Long.toString(lv.stripeSizeBytes()));
        }
        if (!lv.poolLv().isEmpty()) {
            attributes.put("thinPool", lv.poolLv());
        }
        if (!lv.origin().isEmpty()) {
            attributes.put("origin", lv.origin());
        }
        return attributes;
    }
}
