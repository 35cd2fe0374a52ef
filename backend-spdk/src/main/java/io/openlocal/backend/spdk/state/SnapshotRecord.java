package io.openlocal.backend.spdk.state;

/** Which volume a snapshot was taken of, and when (the target keeps neither once clones come and go). */
public record SnapshotRecord(String pool, String snapshot, String source, long createdEpochMillis) {

    public String key() {
        return pool + "/" + snapshot;
    }
}
