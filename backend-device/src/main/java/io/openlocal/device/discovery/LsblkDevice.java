package io.openlocal.device.discovery;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One device of {@code lsblk --json --bytes} output, with its children (partitions and devices built on it).
 * Fields lsblk reports as null are null here, except lists, which are empty.
 *
 * @param name        device name
 * @param kernelName  kernel name (sysfs)
 * @param path        device node path
 * @param majMin      major:minor as text
 * @param type        {@code disk}, {@code loop}, {@code part}, {@code lvm}, {@code crypt}, {@code raid1}...
 * @param sizeBytes   size
 * @param rotational  the kernel's rotational flag (spinning disk)
 * @param readOnly    the device refuses writes
 * @param fsType      filesystem type udev knows of (may be null without udev even when there is one)
 * @param ptType      partition table type udev knows of (same caveat)
 * @param mountpoints where it is mounted
 * @param wwn         world wide name, when udev knows it
 * @param serial      serial number, when udev knows it
 * @param children    partitions and holders
 */
public record LsblkDevice(String name, String kernelName, String path, String majMin, String type, long sizeBytes,
                          boolean rotational, boolean readOnly, String fsType, String ptType, List<String> mountpoints,
                          String wwn, String serial, List<LsblkDevice> children) {

    public LsblkDevice {
        Objects.requireNonNull(name, "name");
        mountpoints = List.copyOf(mountpoints);
        children = List.copyOf(children);
    }

    /** This device and all below it, depth first. */
    public Stream<LsblkDevice> flatten() {
        return Stream.concat(Stream.of(this), children.stream().flatMap(LsblkDevice::flatten));
    }

    /** A whole device Open-Local may hand out: a disk or a loop device (not a partition, LV or RAID). */
    public boolean isWholeDisk() {
        return "disk".equals(type) || "loop".equals(type);
    }
}
