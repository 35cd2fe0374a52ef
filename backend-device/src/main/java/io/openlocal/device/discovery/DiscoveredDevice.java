package io.openlocal.device.discovery;

import io.openlocal.backend.filesystem.DeviceUse;
import io.openlocal.backend.pool.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whole block device as one discovery pass saw it.
 *
 * @param lsblk    what lsblk reported (size, flags, children)
 * @param use      signatures (low-level probe), partitions, holders and mounts
 * @param identity what makes it this disk (see {@link DeviceIdentity})
 * @param hints    signatures udev knows of that the probe did not find (treated as signatures, to be safe)
 */
public record DiscoveredDevice(LsblkDevice lsblk, DeviceUse use, DeviceIdentity identity, List<String> hints) {

    public DiscoveredDevice {
        Objects.requireNonNull(lsblk, "lsblk");
        Objects.requireNonNull(use, "use");
        Objects.requireNonNull(identity, "identity");
        hints = List.copyOf(hints);
    }

    public String path() {
        return use.node().path();
    }

    public String kernelName() {
        return use.node().kernelName();
    }

    public long sizeBytes() {
        return lsblk.sizeBytes();
    }

    public MediaType mediaType() {
        return MediaType.fromRotational(lsblk.rotational());
    }

    public boolean readOnly() {
        return lsblk.readOnly();
    }

    /** Holds nothing, nothing uses it, and it takes writes. */
    public boolean isFree() {
        return use.isFree() && hints.isEmpty() && !readOnly();
    }

    /** Why it is not free (empty when it is). */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>(use.reasons());
        for (String hint : hints) {
            reasons.add("udev reports " + hint);
        }
        if (readOnly()) {
            reasons.add("is read-only");
        }
        return reasons;
    }
}
