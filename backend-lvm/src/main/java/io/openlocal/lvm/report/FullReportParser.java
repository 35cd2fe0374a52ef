package io.openlocal.lvm.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.openlocal.backend.error.StorageException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the JSON of {@code lvm fullreport --reportformat json --units b --nosuffix} (with the columns of
 * {@link ReportFields}) into a {@link FullReport}. lvm2 prints every value as a JSON string, so the raw form is
 * bound first and converted here, where a malformed value becomes {@link StorageException.Internal} naming the
 * field and object.
 */
public final class FullReportParser {

    private static final ObjectReader READER = new ObjectMapper().readerFor(RawReport.class);
    private static final DateTimeFormatter LV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    private FullReportParser() {
    }

    public static FullReport parse(String json) {
        RawReport raw;
        try {
            raw = READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new StorageException.Internal("cannot read lvm fullreport JSON: " + e.getOriginalMessage(), e);
        }
        if (raw == null || raw.report() == null) {
            throw new StorageException.Internal("lvm fullreport JSON has no 'report' array");
        }
        List<VgReport> vgs = new ArrayList<>();
        List<PvReport> orphans = new ArrayList<>();
        for (RawEntry entry : raw.report()) {
            List<PvReport> pvs = listOf(entry.pv()).stream().map(FullReportParser::pv).toList();
            if (listOf(entry.vg()).isEmpty()) {
                // The entry lvm2 prints for PVs outside any VG.
                orphans.addAll(pvs);
                continue;
            }
            for (RawVg vg : entry.vg()) {
                vgs.add(vg(vg, pvs, entry));
            }
        }
        return new FullReport(vgs, orphans);
    }

    private static VgReport vg(RawVg raw, List<PvReport> pvs, RawEntry entry) {
        String name = text(raw.name());
        String where = "VG " + name;
        Map<String, List<SegReport>> segments = new HashMap<>();
        for (RawSeg seg : listOf(entry.seg())) {
            String segWhere = "segment of LV " + text(seg.lvUuid()) + " in " + where;
            segments.computeIfAbsent(text(seg.lvUuid()), k -> new ArrayList<>()).add(new SegReport(
                    text(seg.segtype()), (int) number(seg.stripes(), "stripes", segWhere, 1),
                    number(seg.stripeSize(), "stripe_size", segWhere, 0),
                    number(seg.segStart(), "seg_start", segWhere, 0),
                    number(seg.segSize(), "seg_size", segWhere, 0)));
        }
        segments.values().forEach(list -> list.sort(Comparator.comparingLong(SegReport::startBytes)));
        Map<String, Long> extents = new HashMap<>();
        for (RawPvSeg pvseg : listOf(entry.pvseg())) {
            String lvUuid = text(pvseg.lvUuid());
            if (!lvUuid.isEmpty()) {
                extents.merge(lvUuid, number(pvseg.pvsegSize(), "pvseg_size", where, 0), Long::sum);
            }
        }
        List<LvReport> lvs = new ArrayList<>();
        for (RawLv lv : listOf(entry.lv())) {
            String uuid = text(lv.uuid());
            lvs.add(lv(lv, segments.getOrDefault(uuid, List.of()), extents.getOrDefault(uuid, 0L), where));
        }
        return new VgReport(name, text(raw.uuid()), number(raw.size(), "vg_size", where, -1),
                number(raw.free(), "vg_free", where, -1), number(raw.extentSize(), "vg_extent_size", where, -1),
                (int) number(raw.pvCount(), "pv_count", where, -1),
                (int) number(raw.missingPvCount(), "vg_missing_pv_count", where, 0),
                "read-only".equals(text(raw.permissions())), pvs, lvs);
    }

    private static PvReport pv(RawPv raw) {
        String where = "PV " + text(raw.name());
        return new PvReport(text(raw.name()), text(raw.uuid()), text(raw.vgName()),
                number(raw.size(), "pv_size", where, 0), number(raw.free(), "pv_free", where, 0));
    }

    private static LvReport lv(RawLv raw, List<SegReport> segments, long extents, String vgWhere) {
        String shownName = text(raw.name());
        boolean hidden = shownName.startsWith("[") && shownName.endsWith("]");
        String name = unbracket(shownName);
        String where = "LV " + name + " in " + vgWhere;
        String percent = text(raw.dataPercent());
        OptionalDouble dataPercent;
        try {
            dataPercent = percent.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(percent));
        } catch (NumberFormatException e) {
            throw new StorageException.Internal("lvm report: data_percent of " + where + " is '" + percent + "'");
        }
        return new LvReport(text(raw.uuid()), name, number(raw.size(), "lv_size", where, -1), words(raw.tags()),
                new LinkedHashSet<>(words(raw.layout())), new LinkedHashSet<>(words(raw.role())), text(raw.active()),
                text(raw.path()), unbracket(text(raw.parent())), unbracket(text(raw.poolLv())),
                unbracket(text(raw.origin())), number(raw.originSize(), "origin_size", where, 0), dataPercent,
                time(text(raw.time()), where), text(raw.attr()), hidden, segments, extents);
    }

    /**
     * A numeric column. {@code fallback >= 0} is used for an empty value (a column that does not apply to this
     * object); a negative fallback makes the column required.
     */
    private static long number(String value, String field, String where, long fallback) {
        String v = text(value);
        if (v.isEmpty() && fallback >= 0) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new StorageException.Internal("lvm report: " + field + " of " + where + " is '" + v
                    + "', expected a number of bytes (was --units b --nosuffix lost?)");
        }
    }

    private static long time(String value, String where) {
        if (value.isEmpty()) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(value, LV_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // lv_time is informational; an unexpected format must not hide the LV.
            return 0;
        }
    }

    private static List<String> words(String value) {
        String v = text(value);
        return v.isEmpty() ? List.of() : Arrays.asList(v.split(","));
    }

    private static String unbracket(String name) {
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

    // ---- the JSON as lvm2 prints it ------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawReport(@JsonProperty("report") List<RawEntry> report) {
    }

    /** One element of "report": a VG with its sections, or the orphan PVs. "log" and others are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawEntry(@JsonProperty("vg") List<RawVg> vg, @JsonProperty("pv") List<RawPv> pv,
                    @JsonProperty("lv") List<RawLv> lv, @JsonProperty("seg") List<RawSeg> seg,
                    @JsonProperty("pvseg") List<RawPvSeg> pvseg) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawVg(@JsonProperty("vg_name") String name, @JsonProperty("vg_uuid") String uuid,
                 @JsonProperty("vg_size") String size, @JsonProperty("vg_free") String free,
                 @JsonProperty("vg_extent_size") String extentSize, @JsonProperty("pv_count") String pvCount,
                 @JsonProperty("vg_missing_pv_count") String missingPvCount,
                 @JsonProperty("vg_permissions") String permissions) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawPv(@JsonProperty("pv_name") String name, @JsonProperty("pv_uuid") String uuid,
                 @JsonProperty("vg_name") String vgName, @JsonProperty("pv_size") String size,
                 @JsonProperty("pv_free") String free) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawLv(@JsonProperty("lv_uuid") String uuid, @JsonProperty("lv_name") String name,
                 @JsonProperty("lv_size") String size, @JsonProperty("lv_tags") String tags,
                 @JsonProperty("lv_layout") String layout, @JsonProperty("lv_role") String role,
                 @JsonProperty("lv_active") String active, @JsonProperty("lv_path") String path,
                 @JsonProperty("lv_parent") String parent, @JsonProperty("pool_lv") String poolLv,
                 @JsonProperty("origin") String origin, @JsonProperty("origin_size") String originSize,
                 @JsonProperty("data_percent") String dataPercent, @JsonProperty("lv_time") String time,
                 @JsonProperty("lv_attr") String attr) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawSeg(@JsonProperty("lv_uuid") String lvUuid, @JsonProperty("segtype") String segtype,
                  @JsonProperty("stripes") String stripes, @JsonProperty("stripe_size") String stripeSize,
                  @JsonProperty("seg_start") String segStart, @JsonProperty("seg_size") String segSize) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawPvSeg(@JsonProperty("lv_uuid") String lvUuid, @JsonProperty("pvseg_size") String pvsegSize) {
    }
}
