package io.openlocal.backend.volume;

import java.util.Map;
import java.util.Objects;

/**
 * A request for a point-in-time snapshot.
 *
 * @param source     the volume to snapshot
 * @param name       the snapshot's name
 * @param sizeBytes  for copy-on-write snapshots the space reserved for changes; 0 lets the backend choose
 *                   (thin and SPDK snapshots take none)
 * @param parameters backend-specific options; unknown keys are rejected
 */
public record SnapshotSpec(VolumeRef source, String name, long sizeBytes, Map<String, String> parameters) {

    public SnapshotSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        parameters = Map.copyOf(parameters);
    }
}
