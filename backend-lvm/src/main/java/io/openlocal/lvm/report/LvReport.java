package io.openlocal.lvm.report;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A logical volume as lvm2 reports it, joined with its segments and the physical extents it holds.
 *
 * @param uuid               LV uuid
 * @param name               LV name (without the brackets lvm2 puts around hidden LVs)
 * @param sizeBytes          lv_size: the virtual size for thin LVs, the data size for thin pools, the COW size
 *                           for snapshots
 * @param tags               LV tags
 * @param layout             lv_layout words ({@code linear}, {@code striped}, {@code thin}, {@code pool}...)
 * @param role               lv_role words ({@code public}, {@code private}, {@code snapshot}, {@code origin}...)
 * @param active             lv_active: {@code active}, empty (inactive) or {@code unknown} (no device-mapper)
 * @param path               /dev/VG/LV for public LVs, empty otherwise
 * @param parent             the LV this hidden LV is part of (thin-pool data/metadata), else empty
 * @param poolLv             the thin pool of a thin LV, else empty
 * @param origin             the origin of a snapshot, else empty
 * @param originSizeBytes    the origin's size for snapshots, else 0
 * @param dataPercent        thin LV/pool data use, or COW use for snapshots, when the kernel reports it
 * @param createdEpochMillis lv_time, 0 if unknown
 * @param attr               lv_attr (10 characters)
 * @param hidden             a hidden (component) LV, listed only because the report asked for all LVs
 * @param segments           its segments in order
 * @param allocatedExtents   physical extents it holds (0 for thin LVs, whose blocks live in the pool)
 */
public record LvReport(String uuid, String name, long sizeBytes, List<String> tags, Set<String> layout,
                       Set<String> role, String active, String path, String parent, String poolLv, String origin,
                       long originSizeBytes, OptionalDouble dataPercent, long createdEpochMillis, String attr,
                       boolean hidden, List<SegReport> segments, long allocatedExtents) {

    public LvReport {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        tags = List.copyOf(tags);
        layout = Set.copyOf(layout);
        role = Set.copyOf(role);
        segments = List.copyOf(segments);
    }

    /** Classifies the LV from its layout and role, as lvm2 itself does in {@code lv_layout_and_role}. */
    public LvKind kind() {
        if (role.contains("snapshot")) {
            return layout.contains("thin") ? LvKind.THIN_SNAPSHOT : LvKind.SNAPSHOT;
        }
        if (layout.contains("thin")) {
            return layout.contains("pool") ? LvKind.THIN_POOL : LvKind.THIN;
        }
        if (!layout.isEmpty() && Set.of("linear", "striped").containsAll(layout)) {
            return stripes() > 1 ? LvKind.STRIPED : LvKind.LINEAR;
        }
        return LvKind.OTHER;
    }

    /** Stripes of the last segment (the one lvextend continues), 1 when unknown. */
    public int stripes() {
        return segments.isEmpty() ? 1 : Math.max(1, segments.getLast().stripes());
    }

    /** Stripe size of the last segment, 0 when not striped. */
    public long stripeSizeBytes() {
        return segments.isEmpty() ? 0 : segments.getLast().stripeSizeBytes();
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    /** True when the kernel has the LV active here (never true without device-mapper). */
    public boolean isActive() {
        return "active".equals(active);
    }

    /** lv_attr's state character 'I' marks a snapshot invalidated by overflowing its COW space. */
    public boolean invalidSnapshot() {
        return attr.length() > 4 && attr.charAt(4) == 'I';
    }
}
