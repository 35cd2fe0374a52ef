package io.openlocal.backend.volume;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A volume as the backend sees it now.
 *
 * @param ref        where it lives
 * @param sizeBytes  its real size (after rounding to the backend's unit)
 * @param devicePath the block device to format or hand to a pod, when the volume is active on this node
 * @param owned      made by this system (prefix/tag); volumes not owned are reported, never changed
 * @param attributes backend-specific facts (layout, stripes, thin pool, uuid, origin...)
 */
public record Volume(VolumeRef ref, long sizeBytes, Optional<String> devicePath, boolean owned,
                     Map<String, String> attributes) {

    public Volume {
        Objects.requireNonNull(ref, "ref");
        devicePath = devicePath == null ? Optional.empty() : devicePath;
        attributes = Map.copyOf(attributes);
    }
}
