package io.openlocal.lvm.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A volume group with its PVs and LVs, from one report.
 *
 * @param name            VG name
 * @param uuid            VG uuid
 * @param sizeBytes       vg_size
 * @param freeBytes       vg_free
 * @param extentSizeBytes the allocation unit
 * @param pvCount         number of PVs
 * @param missingPvCount  PVs lvm cannot find (a partial VG)
 * @param readOnly        vg_permissions is read-only
 * @param pvs             its PVs
 * @param lvs             all its LVs, hidden ones included
 */
public record VgReport(String name, String uuid, long sizeBytes, long freeBytes, long extentSizeBytes, int pvCount,
                       int missingPvCount, boolean readOnly, List<PvReport> pvs, List<LvReport> lvs) {

    public VgReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        pvs = List.copyOf(pvs);
        lvs = List.copyOf(lvs);
    }

    /** The LVs a user sees ({@code lvs} without {@code -a}). */
    public List<LvReport> visibleLvs() {
        return lvs.stream().filter(lv -> !lv.hidden()).toList();
    }

    /** The visible LV of that name. */
    public Optional<LvReport> lv(String lvName) {
        for (LvReport lv : lvs) {
            if (!lv.hidden() && lv.name().equals(lvName)) {
                return Optional.of(lv);
            }
        }
        return Optional.empty();
    }

    public Optional<LvReport> lvByUuid(String lvUuid) {
        return lvs.stream().filter(lv -> lv.uuid().equals(lvUuid)).findFirst();
    }

    /** Thin LVs and thin snapshots that live in the named thin pool. */
    public List<LvReport> thinVolumesOf(String thinPool) {
        return lvs.stream().filter(lv -> !lv.hidden() && lv.poolLv().equals(thinPool)
                && (lv.kind() == LvKind.THIN || lv.kind() == LvKind.THIN_SNAPSHOT)).toList();
    }

    /** Copy-on-write snapshots whose origin is the named LV. */
    public List<LvReport> snapshotsOf(String originName) {
        return lvs.stream().filter(lv -> !lv.hidden() && lv.kind() == LvKind.SNAPSHOT
                && lv.origin().equals(originName)).toList();
    }
}
