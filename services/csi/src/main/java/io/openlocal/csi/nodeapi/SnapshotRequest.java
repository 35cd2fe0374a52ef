package io.openlocal.csi.nodeapi;

import io.openlocal.backend.volume.VolumeRef;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot for a CSI name.
 *
 * @param csiName    the CO's name (idempotency key)
 * @param source     the volume
 * @param sizeBytes  copy-on-write space; 0 lets the backend choose
 * @param parameters the snapshot class parameters, as recorded
 */
public record SnapshotRequest(String csiName, VolumeRef source, long sizeBytes, Map<String, String> parameters) {

    public SnapshotRequest {
        Objects.requireNonNull(csiName, "csiName");
        Objects.requireNonNull(source, "source");
        parameters = Map.copyOf(parameters);
    }
}
