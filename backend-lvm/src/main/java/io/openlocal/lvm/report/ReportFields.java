package io.openlocal.lvm.report;

import java.util.List;

/**
 * The columns this backend asks {@code lvm fullreport} for, per section. Asking explicitly keeps the report
 * small (a default fullreport prints ~100 columns per LV) and pins the field names the parser relies on, so an
 * lvm2 upgrade that changes defaults cannot change what we read. Names are lvm2's report field names
 * ({@code lvs -o help}).
 */
public final class ReportFields {

    public static final List<String> VG = List.of("vg_name", "vg_uuid", "vg_size", "vg_free", "vg_extent_size",
            "pv_count", "vg_missing_pv_count", "vg_permissions");

    public static final List<String> PV = List.of("pv_name", "pv_uuid", "vg_name", "pv_size", "pv_free");

    public static final List<String> LV = List.of("lv_uuid", "lv_name", "lv_size", "lv_tags", "lv_layout",
            "lv_role", "lv_active", "lv_path", "lv_parent", "pool_lv", "origin", "origin_size", "data_percent",
            "lv_time", "lv_attr");

    public static final List<String> SEG = List.of("lv_uuid", "segtype", "stripes", "stripe_size", "seg_start",
            "seg_size");

    /** Physical segments: which LV (hidden ones included) holds how many extents; used for allocatable. */
    public static final List<String> PVSEG = List.of("lv_uuid", "pvseg_size");

    private ReportFields() {
    }

    /**
     * The arguments after {@code lvm fullreport} that select JSON in bytes and these columns. {@code -a}
     * includes hidden LVs (thin-pool data and metadata, the pool metadata spare) so their extents can be
     * attributed to the visible LV they belong to.
     */
    public static List<String> fullReportArguments() {
        return List.of("--reportformat", "json", "--units", "b", "--nosuffix", "-a",
                "--configreport", "vg", "-o", String.join(",", VG),
                "--configreport", "pv", "-o", String.join(",", PV),
                "--configreport", "lv", "-o", String.join(",", LV),
                "--configreport", "seg", "-o", String.join(",", SEG),
                "--configreport", "pvseg", "-o", String.join(",", PVSEG));
    }
}
