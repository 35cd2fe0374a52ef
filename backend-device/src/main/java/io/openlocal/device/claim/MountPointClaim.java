package io.openlocal.device.claim;

import io.openlocal.device.discovery.DeviceIdentity;
import java.util.Objects;

/**
 * The durable record that a mount point belongs to one volume
 * ({@code <stateDir>/mountpoint/claims/<volume>.json}).
 *
 * @param version         record format version
 * @param volumeName      the volume (unique among mount point claims)
 * @param path            the mount point
 * @param source          what was mounted there when claimed ({@code /dev/sdb})
 * @param fsType          its filesystem type
 * @param identity        the filesystem's identity (its UUID), checked before anything under the path is deleted
 * @param sizeBytes       the filesystem's size when claimed (the volume's size)
 * @param requestedBytes  the size asked for
 * @param claimedAtMillis when it was claimed
 */
public record MountPointClaim(int version, String volumeName, String path, String source, String fsType,
                              DeviceIdentity identity, long sizeBytes, long requestedBytes, long claimedAtMillis) {

    public static final int VERSION = 1;

    public MountPointClaim {
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(identity, "identity");
    }
}
