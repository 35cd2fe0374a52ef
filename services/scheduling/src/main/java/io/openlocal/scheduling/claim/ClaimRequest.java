package io.openlocal.scheduling.claim;

import io.openlocal.backend.pool.MediaType;
import java.util.Objects;

/**
 * One pending claim of a pod that Open-Local must place.
 *
 * @param key       {@code namespace/name} of the PVC (for a not yet created ephemeral claim, the name it will get)
 * @param kind      what the StorageClass asks for
 * @param sizeBytes requested bytes, greater than zero
 * @param poolName  the VG or lvstore the class pins the claim to, or null
 * @param mediaType the media a Device/MountPoint claim needs, or null for any
 */
public record ClaimRequest(String key, VolumeKind kind, long sizeBytes, String poolName, MediaType mediaType) {

    public ClaimRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("claim " + key + ": size must be positive, got " + sizeBytes);
        }
        if (poolName != null && !kind.shared()) {
            throw new IllegalArgumentException("claim " + key + ": a pool name applies to LVM/SPDK claims only");
        }
    }

    /** A claim as its StorageClass describes it. */
    public static ClaimRequest of(String key, long sizeBytes, StorageClassParameters parameters) {
        return new ClaimRequest(key, parameters.volumeKind(), sizeBytes, parameters.vgName(), parameters.mediaType());
    }
}
