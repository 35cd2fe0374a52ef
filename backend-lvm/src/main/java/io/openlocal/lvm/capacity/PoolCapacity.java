package io.openlocal.lvm.capacity;

import io.openlocal.backend.pool.Capacity;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.VgReport;
import io.openlocal.lvm.volume.Ownership;

/**
 * Open-Local's three figures for a VG: total = vg_size, available = vg_free, allocatable = total less the bytes
 * held by LVs this system does not own.
 *
 * <p>"Held" is counted in physical extents (from the report's PV segments), not lv_size, so a foreign thin pool
 * counts with its metadata and a foreign thin LV counts nothing beyond its pool; for linear LVs the two are the
 * same. Hidden component LVs count for the visible LV they belong to. The pool metadata spare, which lvm2 keeps
 * for all thin pools of the VG, counts as ours when we own a thin pool there and as foreign otherwise.
 */
public final class PoolCapacity {

    private PoolCapacity() {
    }

    public static Capacity of(VgReport vg, Ownership ownership) {
        long foreignBytes = foreignExtents(vg, ownership) * vg.extentSizeBytes();
        long allocatable = Math.max(0, vg.sizeBytes() - foreignBytes);
        return new Capacity(vg.sizeBytes(), allocatable, vg.freeBytes());
    }

    /** Bytes held by LVs this system does not own. */
    public static long foreignBytes(VgReport vg, Ownership ownership) {
        return foreignExtents(vg, ownership) * vg.extentSizeBytes();
    }

    private static long foreignExtents(VgReport vg, Ownership ownership) {
        boolean ownsThinPool = vg.visibleLvs().stream()
                .anyMatch(lv -> lv.kind() == LvKind.THIN_POOL && ownership.owns(lv));
        long foreign = 0;
        for (LvReport lv : vg.lvs()) {
            if (lv.allocatedExtents() == 0) {
                continue;
            }
            LvReport top = topLevel(vg, lv);
            boolean owned = top.hidden() ? top.role().contains("spare") && ownsThinPool : ownership.owns(top);
            if (!owned) {
                foreign += lv.allocatedExtents();
            }
        }
        return foreign;
    }

    /** Follows lv_parent from a hidden component to the LV a user sees (a few levels at most, e.g. cache on raid). */
    private static LvReport topLevel(VgReport vg, LvReport lv) {
        LvReport current = lv;
        for (int depth = 0; depth < 8 && current.hidden() && !current.parent().isEmpty(); depth++) {
            String parentName = current.parent();
            LvReport parent = vg.lvs().stream().filter(l -> l.name().equals(parentName)).findFirst().orElse(null);
            if (parent == null) {
                break;
            }
            current = parent;
        }
        return current;
    }
}
