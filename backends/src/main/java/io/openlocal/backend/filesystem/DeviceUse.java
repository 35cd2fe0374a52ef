package io.openlocal.backend.filesystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything that says whether a block device may be written over: what is on it, its partitions, the devices
 * built on it (device-mapper, md), and where it or its partitions are mounted.
 *
 * @param node       the device
 * @param content    the low-level probe of its first sectors
 * @param partitions kernel names of its partitions
 * @param holders    kernel names of devices built on it or on its partitions
 * @param mounts     mounts of it, of its partitions, and bind mounts of its device node
 */
public record DeviceUse(DeviceNode node, BlockContent content, List<String> partitions, List<String> holders,
                        List<MountEntry> mounts) {

    public DeviceUse {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(content, "content");
        partitions = List.copyOf(partitions);
        holders = List.copyOf(holders);
        mounts = List.copyOf(mounts);
    }

    /** Something uses the device right now (mounted, or a holder sits on it). */
    public boolean isActive() {
        return !mounts.isEmpty() || !holders.isEmpty();
    }

    /** Holds nothing and nothing uses it: safe to format or hand out. */
    public boolean isFree() {
        return content.isBlank() && partitions.isEmpty() && !isActive();
    }

    /** Why the device is not free, one phrase per reason (empty when it is free). */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        if (!content.isBlank()) {
            reasons.add("holds " + content.describe());
        }
        if (!partitions.isEmpty()) {
            reasons.add("has partitions " + partitions);
        }
        if (!holders.isEmpty()) {
            reasons.add("is held by " + holders);
        }
        if (!mounts.isEmpty()) {
            reasons.add("is mounted at " + mounts.stream().map(m -> m.target().toString()).toList());
        }
        return reasons;
    }
}
