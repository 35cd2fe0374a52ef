package io.openlocal.launcher.status;

/**
 * One pool of one node as {@code open-local status} shows it. Sizes are exact bytes; null where the agent did not
 * report the figure (or the kind has none, e.g. a device's allocatable).
 *
 * @param kind        {@code VG}, {@code Device}, {@code MountPoint} or {@code SPDK}
 * @param name        VG name, device path, mount path or lvstore name
 * @param total       capacity in bytes
 * @param available   free bytes (VG, mount point, lvstore); for a device its whole size when free, 0 when used
 * @param allocatable what the scheduler may hand out (VG only: Open-Local's {@code allocatable})
 * @param detail      media type (device), filesystem (mount point), base bdev (lvstore), physical volumes (VG)
 * @param use         {@code free} or {@code used} for a device or mount point; null for the shared pools
 * @param allowed     whether the name is in status.filteredStorageInfo, i.e. may be allocated
 * @param condition   the agent's condition ({@code DiskReady}, {@code DiskFull}, {@code DiskFault})
 */
public record PoolRow(String kind, String name, Long total, Long available, Long allocatable, String detail,
                      String use, boolean allowed, String condition) {
}
