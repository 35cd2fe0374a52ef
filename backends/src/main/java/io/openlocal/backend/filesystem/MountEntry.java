package io.openlocal.backend.filesystem;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /proc/self/mountinfo}, with the octal escapes decoded.
 *
 * @param mountId        the mount's id
 * @param parentId       the id of the mount it sits on
 * @param device         major:minor of the filesystem's device ({@code st_dev} of files in it)
 * @param root           the directory of the filesystem shown at the target ({@code /} unless a bind mount of
 *                       a subdirectory or file)
 * @param target         where it is mounted
 * @param mountOptions   per-mount options ({@code rw}/{@code ro}, {@code nosuid}, ...)
 * @param optionalFields propagation tags such as {@code shared:1}
 * @param fsType         filesystem type ({@code ext4}, {@code xfs}, {@code devtmpfs}, ...)
 * @param source         what was mounted ({@code /dev/sdb}, or a pseudo name such as {@code tmpfs})
 * @param superOptions   per-superblock options
 */
public record MountEntry(int mountId, int parentId, DeviceNumber device, String root, Path target,
                         List<String> mountOptions, List<String> optionalFields, String fsType, String source,
                         List<String> superOptions) {

    public MountEntry {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(target, "target");
        mountOptions = List.copyOf(mountOptions);
        optionalFields = List.copyOf(optionalFields);
        Objects.requireNonNull(fsType, "fsType");
        Objects.requireNonNull(source, "source");
        superOptions = List.copyOf(superOptions);
    }

    /** Whether writes through this mount are refused (the per-mount flag, which a read-only bind sets). */
    public boolean readOnly() {
        return mountOptions.contains("ro");
    }
}
