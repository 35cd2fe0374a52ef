package io.openlocal.scheduling.node;

import io.openlocal.backend.pool.MediaType;
import java.util.Objects;

/**
 * A whole device or mount point handed to a single claim.
 *
 * @param name          device path ({@code /dev/sdb}) or mount point path
 * @param capacityBytes its size
 * @param mediaType     hdd or ssd (a mount point's is its device's); UNKNOWN matches only "any media" claims
 */
public record ExclusiveDisk(String name, long capacityBytes, MediaType mediaType) {

    public ExclusiveDisk {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("disk " + name + ": capacity must not be negative");
        }
    }
}
