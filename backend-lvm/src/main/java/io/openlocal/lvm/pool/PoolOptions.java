package io.openlocal.lvm.pool;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.lvm.volume.Ownership;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options of an LVM {@code PoolSpec}:
 * <ul>
 *   <li>{@code extentSizeBytes}: the VG's extent size, a power of two from 4 KiB to 16 GiB (default lvm2's 4 MiB);</li>
 *   <li>{@code thinPool}: also create a thin pool LV of this name (it must carry the ownership prefix);</li>
 *   <li>{@code thinPoolSizeBytes}: its data size; required with {@code thinPool}.</li>
 * </ul>
 *
 * @param extentSizeBytes   0 for lvm2's default
 * @param thinPool          the thin pool to create, if any
 * @param thinPoolSizeBytes its data size, 0 without a thin pool
 */
public record PoolOptions(long extentSizeBytes, Optional<String> thinPool, long thinPoolSizeBytes) {

    public static final String EXTENT_SIZE = "extentSizeBytes";
    public static final String THIN_POOL = "thinPool";
    public static final String THIN_POOL_SIZE = "thinPoolSizeBytes";
    public static final Set<String> KEYS = Set.of(EXTENT_SIZE, THIN_POOL, THIN_POOL_SIZE);

    public static PoolOptions from(Map<String, String> options, Ownership ownership) {
        for (String key : options.keySet()) {
            if (!KEYS.contains(key)) {
                throw new StorageException.InvalidArgument("options: unknown key '" + key + "' for an LVM pool (known: "
                        + new TreeSet<>(KEYS) + ")");
            }
        }
        long extent = 0;
        if (options.containsKey(EXTENT_SIZE)) {
            extent = bytes(EXTENT_SIZE, options.get(EXTENT_SIZE));
            if (extent < 4 * Sizes.KiB || extent > 16 * Sizes.GiB || Long.bitCount(extent) != 1) {
                throw new StorageException.InvalidArgument("options." + EXTENT_SIZE + ": " + extent
                        + " must be a power of two from 4 KiB to 16 GiB");
            }
        }
        String thinPool = options.get(THIN_POOL);
        String thinSize = options.get(THIN_POOL_SIZE);
        if (thinPool == null) {
            if (thinSize != null) {
                throw new StorageException.InvalidArgument("options." + THIN_POOL_SIZE + ": given without "
                        + THIN_POOL);
            }
            return new PoolOptions(extent, Optional.empty(), 0);
        }
        ownership.requireOwnableName("options." + THIN_POOL, thinPool);
        if (thinSize == null) {
            throw new StorageException.InvalidArgument("options." + THIN_POOL_SIZE + ": required with " + THIN_POOL);
        }
        long size = Sizes.requirePositive("options." + THIN_POOL_SIZE, bytes(THIN_POOL_SIZE, thinSize));
        return new PoolOptions(extent, Optional.of(thinPool), size);
    }

    private static long bytes(String key, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument("options." + key + ": '" + value + "' is not a number of bytes");
        }
    }
}
