package io.openlocal.bench.lvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Writes the JSON that {@code lvm fullreport} prints for one VG of {@code lvCount} LVs (the columns the LVM
 * backend asks for), with the shapes lvm2 uses: every value a string, sizes in bytes, comma lists, one
 * segment and one or two PV segments per LV, a mix of linear and two-stripe LVs, one in ten foreign.
 */
public final class FullReportGenerator {

    private static final long EXTENT = 4L * 1024 * 1024;
    private static final int PVS = 4;

    private FullReportGenerator() {
    }

    public static String generate(int lvCount) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode report = root.putArray("report");
        ObjectNode entry = report.addObject();
        long[] pvUsed = new long[PVS];
        ArrayNode lvs = json.createArrayNode();
        ArrayNode segs = json.createArrayNode();
        ArrayNode pvsegs = json.createArrayNode();
        for (int i = 0; i < lvCount; i++) {
            boolean striped = i % 5 == 4;
            boolean foreign = i % 10 == 9;
            long extents = striped ? 4 : 1 + (i % 3);
            String uuid = uuid("lv", i);
            String name = foreign ? "data" + i : "local-" + uuid("vol", i).toLowerCase(Locale.ROOT);
            ObjectNode lv = lvs.addObject();
            lv.put("lv_uuid", uuid);
            lv.put("lv_name", name);
            lv.put("lv_size", Long.toString(extents * EXTENT));
            lv.put("lv_tags", foreign ? "" : "open-local");
            lv.put("lv_layout", striped ? "striped" : "linear");
            lv.put("lv_role", "public");
            lv.put("lv_active", "unknown");
            lv.put("lv_path", "/dev/benchvg/" + name);
            lv.put("lv_parent", "");
            lv.put("pool_lv", "");
            lv.put("origin", "");
            lv.put("origin_size", "");
            lv.put("data_percent", "");
            lv.put("lv_time", "2026-11-25 08:00:00 +0000");
            lv.put("lv_attr", "-wi-XX----");
            ObjectNode seg = segs.addObject();
            seg.put("lv_uuid", uuid);
            seg.put("segtype", striped ? "striped" : "linear");
            seg.put("stripes", striped ? "2" : "1");
            seg.put("stripe_size", striped ? "65536" : "0");
            seg.put("seg_start", "0");
            seg.put("seg_size", Long.toString(extents * EXTENT));
            int pv = i % PVS;
            if (striped) {
                addPvSeg(pvsegs, uuid, extents / 2);
                addPvSeg(pvsegs, uuid, extents / 2);
                pvUsed[pv] += extents / 2;
                pvUsed[(pv + 1) % PVS] += extents / 2;
            } else {
                addPvSeg(pvsegs, uuid, extents);
                pvUsed[pv] += extents;
            }
        }
        long pvExtents = 1000;
        long free = 0;
        ArrayNode pvs = json.createArrayNode();
        for (int p = 0; p < PVS; p++) {
            long pvFree = pvExtents - pvUsed[p];
            free += pvFree;
            ObjectNode pv = pvs.addObject();
            pv.put("pv_name", "/dev/loop" + p);
            pv.put("pv_uuid", uuid("pv", p));
            pv.put("vg_name", "benchvg");
            pv.put("pv_size", Long.toString(pvExtents * EXTENT));
            pv.put("pv_free", Long.toString(pvFree * EXTENT));
            addPvSeg(pvsegs, "", pvFree);
        }
        ObjectNode vg = entry.putArray("vg").addObject();
        vg.put("vg_name", "benchvg");
        vg.put("vg_uuid", uuid("vg", 0));
        vg.put("vg_size", Long.toString(PVS * pvExtents * EXTENT));
        vg.put("vg_free", Long.toString(free * EXTENT));
        vg.put("vg_extent_size", Long.toString(EXTENT));
        vg.put("pv_count", Integer.toString(PVS));
        vg.put("vg_missing_pv_count", "0");
        vg.put("vg_permissions", "writeable");
        entry.set("pv", pvs);
        entry.set("lv", lvs);
        entry.set("pvseg", pvsegs);
        entry.set("seg", segs);
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addPvSeg(ArrayNode pvsegs, String lvUuid, long extents) {
        ObjectNode pvseg = pvsegs.addObject();
        pvseg.put("lv_uuid", lvUuid);
        pvseg.put("pvseg_size", Long.toString(extents));
    }

    /** An lvm2-shaped uuid (6-4-4-4-4-4-6 characters), deterministic per kind and index. */
    private static String uuid(String kind, int index) {
        String digits = String.format(Locale.ROOT, "%032d", Math.abs((kind + index).hashCode()) * 1000L + index);
        String s = (kind.toUpperCase(Locale.ROOT) + digits).substring(0, 32);
        return s.substring(0, 6) + "-" + s.substring(6, 10) + "-" + s.substring(10, 14) + "-" + s.substring(14, 18)
                + "-" + s.substring(18, 22) + "-" + s.substring(22, 26) + "-" + s.substring(26, 32);
    }
}
