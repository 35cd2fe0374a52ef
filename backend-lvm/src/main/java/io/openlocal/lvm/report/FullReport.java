package io.openlocal.lvm.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one {@code lvm fullreport} returned: every VG with its PVs and LVs, and the orphan PVs (labelled
 * but in no VG, for example after a crash between pvcreate and vgcreate).
 */
public record FullReport(List<VgReport> vgs, List<PvReport> orphanPvs) {

    public FullReport {
        vgs = List.copyOf(vgs);
        orphanPvs = List.copyOf(orphanPvs);
    }

    public Optional<VgReport> vg(String name) {
        return vgs.stream().filter(vg -> vg.name().equals(name)).findFirst();
    }

    /** Every PV, in a VG or not. */
    public List<PvReport> allPvs() {
        List<PvReport> all = new ArrayList<>();
        vgs.forEach(vg -> all.addAll(vg.pvs()));
        all.addAll(orphanPvs);
        return all;
    }
}
