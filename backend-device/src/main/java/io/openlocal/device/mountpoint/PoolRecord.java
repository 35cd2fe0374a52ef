package io.openlocal.device.mountpoint;

import io.openlocal.device.discovery.DeviceIdentity;
import java.util.Objects;

/**
 * The durable record of a mount point this system set up ({@code <stateDir>/mountpoint/pools/<key>.json}),
 * written before the device is formatted. It is how a retry after a crash knows that the filesystem now on the
 * device is the one it made for this path (and mounts it) rather than someone else's (which it refuses).
 *
 * @param version      record format version
 * @param path         the mount point
 * @param device       the device path given
 * @param identity     the device's identity
 * @param fsType       the filesystem made
 * @param mountOptions mount options, comma-separated
 * @param state        {@code formatting} until mkfs finished, then {@code formatted}
 * @param fsUuid       the filesystem's UUID once formatted
 */
public record PoolRecord(int version, String path, String device, DeviceIdentity identity, String fsType,
                         String mountOptions, String state, String fsUuid) {

    public static final int VERSION = 1;
    public static final String FORMATTING = "formatting";
    public static final String FORMATTED = "formatted";

    public PoolRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(fsType, "fsType");
    }

    /** A file-name-safe key for a path: URL-safe base64 of it. */
    public static String key(String path) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
