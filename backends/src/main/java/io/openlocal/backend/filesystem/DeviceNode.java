package io.openlocal.backend.filesystem;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A block device node that exists now, checked: the path the caller used, the node it resolves to, its device
 * number and its kernel name (as sysfs names it: {@code sdb}, {@code loop3}, {@code dm-0}).
 *
 * @param path       the validated path as given ({@code /dev/sdb}, {@code /dev/disk/by-id/...})
 * @param realPath   the device node after following symlinks
 * @param number     major:minor
 * @param kernelName the name under {@code /sys/class/block}
 */
public record DeviceNode(String path, Path realPath, DeviceNumber number, String kernelName) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    /**
     * Validates {@code value} as a device path (see {@link Names#requireDevicePath}) and checks that it is a block
     * device now.
     *
     * @throws StorageException.InvalidArgument the path is malformed, or exists but is not a block device
     * @throws StorageException.NotFound        nothing is at that path
     */
    public static DeviceNode of(String field, String value, Path sysfsRoot) {
        Names.requireDevicePath(field, value);
        Path path = Path.of(value);
        try {
            Path real = path.toRealPath();
            int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFBLK) {
                throw new StorageException.InvalidArgument(field + ": '" + value + "' is not a block device");
            }
            DeviceNumber number = DeviceNumber.fromDevT((Long) Files.getAttribute(real, "unix:rdev",
                    LinkOption.NOFOLLOW_LINKS));
            return new DeviceNode(value, real, number, kernelName(sysfsRoot, number, real));
        } catch (NoSuchFileException e) {
            throw new StorageException.NotFound(field + ": device '" + value + "' does not exist");
        } catch (IOException e) {
            throw new StorageException.Unavailable(field + ": cannot inspect '" + value + "': " + e.getMessage(), e);
        }
    }

    public static DeviceNode of(String field, String value) {
        return of(field, value, Path.of("/sys"));
    }

    /** sysfs's {@code dev/block/M:m} link ends in the kernel name; the node's own name is the fallback. */
    private static String kernelName(Path sysfsRoot, DeviceNumber number, Path real) {
        Path link = sysfsRoot.resolve("dev/block/" + number);
        try {
            return link.toRealPath().getFileName().toString();
        } catch (IOException e) {
            return real.getFileName().toString();
        }
    }
}
