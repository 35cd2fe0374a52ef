package io.openlocal.lvm.report;

/**
 * One logical segment of an LV.
 *
 * @param segtype          lvm2's segment type ({@code linear}, {@code striped}, {@code thin}, {@code thin-pool}...)
 * @param stripes          number of stripes (1 for linear)
 * @param stripeSizeBytes  stripe size, 0 when not striped
 * @param startBytes       offset of the segment in the LV
 * @param sizeBytes        length of the segment
 */
public record SegReport(String segtype, int stripes, long stripeSizeBytes, long startBytes, long sizeBytes) {
}
