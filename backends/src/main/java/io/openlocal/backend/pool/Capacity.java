package io.openlocal.backend.pool;

/**
 * Space in a pool, in bytes, with Open-Local's three figures.
 *
 * @param totalBytes       the pool's size
 * @param allocatableBytes what this system may ever use: total less what others (foreign LVs, metadata) hold
 * @param availableBytes   what is free now for a new volume
 */
public record Capacity(long totalBytes, long allocatableBytes, long availableBytes) {

    public Capacity {
        if (totalBytes < 0 || allocatableBytes < 0 || availableBytes < 0) {
            throw new IllegalArgumentException("capacity figures must not be negative: " + totalBytes + "/"
                    + allocatableBytes + "/" + availableBytes);
        }
        if (allocatableBytes > totalBytes) {
            throw new IllegalArgumentException("allocatable " + allocatableBytes + " > total " + totalBytes);
        }
    }

    public static Capacity of(long totalBytes, long availableBytes) {
        return new Capacity(totalBytes, totalBytes, availableBytes);
    }

    public long usedBytes() {
        return totalBytes - availableBytes;
    }
}
