package io.openlocal.device.discovery;

import java.util.Objects;

/**
 * What makes a disk the same disk after a reboot renamed it ({@code sdb} becoming {@code sdc}), and a different
 * disk when another one takes its name. Claims are tied to this, never to the name alone.
 *
 * <p>Sources, most robust first (sysfs, so it works without udev):
 * <ol>
 *   <li>{@code wwid}: the device's world wide identifier ({@code device/wwid} for SCSI/SATA, {@code wwid} for
 *       NVMe namespaces); unique per disk by standard.</li>
 *   <li>{@code serial}: the serial number ({@code device/serial}, or {@code serial} for virtio), prefixed by the
 *       model where sysfs has one.</li>
 *   <li>{@code dm-uuid}: a device-mapper device's uuid.</li>
 *   <li>{@code loop}: a loop device's backing file, with that file's device and inode numbers and the loop's
 *       offset; a new file at the same path is a different disk. Not the size: a loop may grow.</li>
 *   <li>{@code name}: the kernel name and the size. <b>Weak</b>: a disk without any of the above that is
 *       renamed, or replaced by one of the same size, is mistaken for the claimed one. Reported as such.</li>
 * </ol>
 *
 * @param kind  which source the value comes from
 * @param value the identifier
 * @param weak  true for the name-and-size fallback
 */
public record DeviceIdentity(String kind, String value, boolean weak) {

    public DeviceIdentity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return kind + ":" + value + (weak ? " (weak)" : "");
    }
}
