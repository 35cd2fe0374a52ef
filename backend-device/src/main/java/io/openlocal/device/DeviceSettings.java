package io.openlocal.device;

import io.openlocal.backend.error.StorageException;
import io.openlocal.device.discovery.NameFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of the Device and MountPoint backends, read from {@code BackendContext.settings()}. One set for
 * both types, because they share the disks and the state directory. Unknown keys are refused.
 *
 * @param devices           which block devices are reported and may be claimed
 * @param mountPointRoot    the directory under which mount points are pools
 * @param mountPoints       which mount points under the root are pools
 * @param commandTimeout    limit for lsblk, blkid, wipefs, mount, stat
 * @param mkfsTimeout       limit for mkfs
 */
public record DeviceSettings(NameFilter devices, Path mountPointRoot, NameFilter mountPoints,
                             Duration commandTimeout, Duration mkfsTimeout) {

    public static final String DEVICE_INCLUDE = "device.include";
    public static final String DEVICE_EXCLUDE = "device.exclude";
    public static final String MOUNTPOINT_ROOT = "mountpoint.root";
    public static final String MOUNTPOINT_INCLUDE = "mountpoint.include";
    public static final String MOUNTPOINT_EXCLUDE = "mountpoint.exclude";
    public static final String COMMAND_TIMEOUT = "command.timeoutSeconds";
    public static final String MKFS_TIMEOUT = "mkfs.timeoutSeconds";

    /** Open-Local agent's default device pattern. */
    public static final String DEFAULT_DEVICE_INCLUDE = "^(s|v|xv)d[a-z]+$";
    /** Open-Local agent's default mount path ({@code --path.mount}). */
    public static final String DEFAULT_MOUNTPOINT_ROOT = "/mnt/open-local";
    public static final String DEFAULT_MOUNTPOINT_INCLUDE = ".*";
    public static final long DEFAULT_COMMAND_TIMEOUT_SECONDS = 60;
    public static final long DEFAULT_MKFS_TIMEOUT_SECONDS = 600;

    private static final Set<String> KEYS = Set.of(DEVICE_INCLUDE, DEVICE_EXCLUDE, MOUNTPOINT_ROOT,
            MOUNTPOINT_INCLUDE, MOUNTPOINT_EXCLUDE, COMMAND_TIMEOUT, MKFS_TIMEOUT);

    public static DeviceSettings defaults() {
        return parse(Map.of());
    }

    public static DeviceSettings parse(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new StorageException.InvalidArgument("settings: unknown key '" + key
                        + "' for the Device/MountPoint backend (known keys: " + new TreeSet<>(KEYS) + ")");
            }
        }
        NameFilter devices = NameFilter.of(DEVICE_INCLUDE, settings.getOrDefault(DEVICE_INCLUDE,
                DEFAULT_DEVICE_INCLUDE), DEVICE_EXCLUDE, settings.get(DEVICE_EXCLUDE));
        NameFilter mountPoints = NameFilter.of(MOUNTPOINT_INCLUDE, settings.getOrDefault(MOUNTPOINT_INCLUDE,
                DEFAULT_MOUNTPOINT_INCLUDE), MOUNTPOINT_EXCLUDE, settings.get(MOUNTPOINT_EXCLUDE));
        String rootValue = settings.getOrDefault(MOUNTPOINT_ROOT, DEFAULT_MOUNTPOINT_ROOT);
        Path root = Path.of(rootValue.isEmpty() ? "relative" : rootValue);
        if (!root.isAbsolute() || !root.normalize().equals(root) || root.getNameCount() == 0
                || rootValue.contains("//") || rootValue.chars().anyMatch(Character::isISOControl)) {
            throw new StorageException.InvalidArgument(MOUNTPOINT_ROOT + ": '" + rootValue
                    + "' must be an absolute, normalised directory other than /");
        }
        return new DeviceSettings(devices, root, mountPoints, seconds(settings, COMMAND_TIMEOUT,
                DEFAULT_COMMAND_TIMEOUT_SECONDS), seconds(settings, MKFS_TIMEOUT, DEFAULT_MKFS_TIMEOUT_SECONDS));
    }

    private static Duration seconds(Map<String, String> settings, String key, long defaultSeconds) {
        String value = settings.get(key);
        if (value == null) {
            return Duration.ofSeconds(defaultSeconds);
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds <= 0 || seconds > 86_400) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument(key + ": '" + value
                    + "' must be a whole number of seconds between 1 and 86400");
        }
    }
}
