package io.openlocal.device.claim;

import io.openlocal.device.discovery.DeviceIdentity;
import java.util.Objects;

/**
 * The durable record that a whole device belongs to one volume ({@code <stateDir>/device/claims/<volume>.json}).
 * While it exists the device is the volume's; it is deleted only after the device has been wiped.
 *
 * @param version         record format version
 * @param volumeName      the volume (unique among device claims)
 * @param devicePath      the device path when claimed; the pool name in the volume's reference
 * @param kernelName      the kernel name when claimed
 * @param identity        what makes it this disk (checked before every use of the claim)
 * @param sizeBytes       the device's size when claimed (the volume's size)
 * @param requestedBytes  the size asked for
 * @param mediaType       hdd or ssd
 * @param claimedAtMillis when it was claimed
 */
public record DeviceClaim(int version, String volumeName, String devicePath, String kernelName,
                          DeviceIdentity identity, long sizeBytes, long requestedBytes, String mediaType,
                          long claimedAtMillis) {

    public static final int VERSION = 1;

    public DeviceClaim {
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(devicePath, "devicePath");
        Objects.requireNonNull(identity, "identity");
    }
}
