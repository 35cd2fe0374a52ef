package io.openlocal.backend.volume;

import java.util.Objects;

/**
 * A snapshot as the backend sees it.
 *
 * @param ref           where the snapshot lives (same pool as its source)
 * @param source        the volume it was taken of
 * @param sizeBytes     the size of the data it captures (the source's size at the time)
 * @param createdEpochMillis when it was taken, where the backend records it; 0 if unknown
 * @param readyToUse    whether it can be restored from now
 */
public record Snapshot(VolumeRef ref, VolumeRef source, long sizeBytes, long createdEpochMillis, boolean readyToUse) {

    public Snapshot {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(source, "source");
    }
}
