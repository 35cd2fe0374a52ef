package io.openlocal.backend.volume;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request for a volume.
 *
 * @param pool       the pool to create it in
 * @param name       the volume's name; backends with an ownership prefix (LVM's {@code lvNamePrefix}) require it
 *                   and refuse other names with InvalidArgument
 * @param sizeBytes  the size wanted; the backend rounds up to its allocation unit and reports the real size
 * @param parameters backend-specific layout parameters (for LVM {@code lvType}, {@code stripes},
 *                   {@code stripeSizeBytes}, {@code thinPool}); unknown keys are rejected
 * @param source     a snapshot or volume to copy from, where the backend supports it
 */
public record VolumeSpec(String pool, String name, long sizeBytes, Map<String, String> parameters,
                         Optional<VolumeRef> source) {

    public VolumeSpec {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(name, "name");
        parameters = Map.copyOf(parameters);
        source = source == null ? Optional.empty() : source;
    }

    public static VolumeSpec of(String pool, String name, long sizeBytes) {
        return new VolumeSpec(pool, name, sizeBytes, Map.of(), Optional.empty());
    }

    public VolumeSpec withParameters(Map<String, String> newParameters) {
        return new VolumeSpec(pool, name, sizeBytes, newParameters, source);
    }
}
