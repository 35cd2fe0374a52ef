package io.openlocal.lvm.device;

import java.util.List;

/**
 * What is on a block device and who uses it, before it is made a PV.
 *
 * @param device      the path asked for
 * @param realPath    the device node it resolves to (symlinks followed)
 * @param signatures  signatures found by wipefs, as {@code type@offset} (filesystems, partition tables, RAID,
 *                    LVM2_member...)
 * @param mountpoints where it is mounted
 * @param children    partitions and stacked devices lsblk shows under it
 * @param holders     kernel holders (/sys/class/block/X/holders): device-mapper or md devices built on it
 */
public record DeviceState(String device, String realPath, List<String> signatures, List<String> mountpoints,
                          List<String> children, List<String> holders) {

    public DeviceState {
        signatures = List.copyOf(signatures);
        mountpoints = List.copyOf(mountpoints);
        children = List.copyOf(children);
        holders = List.copyOf(holders);
    }

    public boolean inUse() {
        return !mountpoints.isEmpty() || !children.isEmpty() || !holders.isEmpty();
    }
}
