package io.openlocal.backend.filesystem;

import io.openlocal.backend.error.StorageException;

/**
 * A Linux device number (major:minor). The one identity of a block device that does not depend on which of its
 * names ({@code /dev/sdb}, {@code /dev/disk/by-id/...}) a caller used, and what mountinfo reports.
 */
public record DeviceNumber(int major, int minor) {

    public DeviceNumber {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("device number must not be negative: " + major + ":" + minor);
        }
    }

    /** Parses {@code "7:3"} as sysfs, lsblk and mountinfo print it. */
    public static DeviceNumber parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new StorageException.Internal("not a major:minor device number: '" + text + "'");
        }
        try {
            return new DeviceNumber(Integer.parseInt(text.substring(0, colon).strip()),
                    Integer.parseInt(text.substring(colon + 1).strip()));
        } catch (NumberFormatException e) {
            throw new StorageException.Internal("not a major:minor device number: '" + text + "'", e);
        }
    }

    /** Decodes the kernel's {@code dev_t} as {@code stat} returns it (glibc's encoding of major and minor). */
    public static DeviceNumber fromDevT(long dev) {
        int major = (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0x00000fffL));
        int minor = (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0x000000ffL));
        return new DeviceNumber(major, minor);
    }

    @Override
    public String toString() {
        return major + ":" + minor;
    }
}
