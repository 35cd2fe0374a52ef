package io.openlocal.csi.nodeapi;

import io.openlocal.backend.volume.VolumeRef;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot taken through CSI.
 *
 * @param csiName            the CO's name
 * @param ref                where it lives
 * @param source             the volume it was taken of
 * @param sizeBytes          the size of the data it holds (the source's size)
 * @param createdEpochMillis when it was taken
 * @param readyToUse         whether it can be restored from
 * @param parameters         the snapshot class parameters
 */
public record SnapshotRecord(String csiName, VolumeRef ref, VolumeRef source, long sizeBytes, long createdEpochMillis,
                             boolean readyToUse, Map<String, String> parameters) {

    public SnapshotRecord {
        Objects.requireNonNull(csiName, "csiName");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(source, "source");
        parameters = Map.copyOf(parameters);
    }
}
