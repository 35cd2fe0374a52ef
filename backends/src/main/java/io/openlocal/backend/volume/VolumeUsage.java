package io.openlocal.backend.volume;

/**
 * Block-level use of a volume as the backend knows it (filesystem figures come from the node service).
 *
 * @param sizeBytes      the volume's size
 * @param allocatedBytes space it really holds in the pool (less than size for thin volumes)
 */
public record VolumeUsage(long sizeBytes, long allocatedBytes) {
}
