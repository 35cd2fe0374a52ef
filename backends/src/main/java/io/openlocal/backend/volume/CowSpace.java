package io.openlocal.backend.volume;

/**
 * The copy-on-write space of a snapshot that has one of its own (LVM's thick snapshots): its size, and how much
 * of it the origin's changes have used. A snapshot whose space runs out is invalidated by the kernel.
 *
 * @param sizeBytes   the COW area's size
 * @param usedPercent how full it is, 0-100
 */
public record CowSpace(long sizeBytes, double usedPercent) {
}
