package io.openlocal.scheduling.node;

import java.util.Objects;

/**
 * A pool volumes are carved from: an LVM volume group or an SPDK lvstore.
 *
 * @param name          VG or lvstore name
 * @param capacityBytes what Open-Local may allocate from it in total (a VG's {@code allocatable}: its size less
 *                      the LVs that are not Open-Local's)
 * @param unitBytes     allocation granularity (SPDK cluster size); 1 when sizes are taken as asked
 */
public record SharedPool(String name, long capacityBytes, long unitBytes) {

    public SharedPool {
        Objects.requireNonNull(name, "name");
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("pool " + name + ": capacity must not be negative");
        }
        if (unitBytes < 1) {
            throw new IllegalArgumentException("pool " + name + ": allocation unit must be at least 1 byte");
        }
    }

    public SharedPool(String name, long capacityBytes) {
        this(name, capacityBytes, 1);
    }

    /** Bytes a request of {@code sizeBytes} takes from this pool (rounded up to the unit), or -1 on overflow. */
    public long footprint(long sizeBytes) {
        if (unitBytes == 1) {
            return sizeBytes;
        }
        long remainder = sizeBytes % unitBytes;
        if (remainder == 0) {
            return sizeBytes;
        }
        long rounded = sizeBytes + (unitBytes - remainder);
        return rounded < 0 ? -1 : rounded;
    }
}
