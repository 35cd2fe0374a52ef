package io.openlocal.lvm.capacity;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.PvReport;
import io.openlocal.lvm.report.VgReport;

/**
 * Size rounding and the capacity checks made before lvcreate/lvextend runs, so a request that cannot fit is
 * refused with OutOfCapacity without touching the VG. lvm2 still has the last word (its own "insufficient free
 * space" is mapped to OutOfCapacity too), which matters only when something outside this JVM allocated in the
 * meantime.
 */
public final class Allocation {

    /** lvm2 caps thin-pool metadata at 16 GiB less a little; stay safely below. */
    static final long MAX_THIN_METADATA_BYTES = 15 * Sizes.GiB;
    static final long MIN_THIN_METADATA_BYTES = 4 * Sizes.MiB;

    private Allocation() {
    }

    /**
     * Rounds a requested size up to whole extents, and for striped layouts to a multiple of {@code stripes}
     * extents, which is what lvm2 allocates. Sizes of 0 or less, and sizes that overflow when rounded, are
     * InvalidArgument.
     */
    public static long roundUp(String field, long bytes, long extentSizeBytes, int stripes) {
        Sizes.requirePositive(field, bytes);
        long unit;
        try {
            unit = Math.multiplyExact(extentSizeBytes, Math.max(1, stripes));
        } catch (ArithmeticException e) {
            throw new StorageException.InvalidArgument(field + ": allocation unit overflows");
        }
        return Sizes.roundUp(field, bytes, unit);
    }

    /** The VG has {@code bytes} unallocated. */
    public static void requireFree(String what, long bytes, VgReport vg) {
        if (bytes > vg.freeBytes()) {
            throw new StorageException.OutOfCapacity(what + " needs " + bytes + " bytes (" + Sizes.human(bytes)
                    + ") but VG " + vg.name() + " has " + vg.freeBytes() + " bytes (" + Sizes.human(vg.freeBytes())
                    + ") free");
        }
    }

    /**
     * A striped LV of {@code bytes} fits: enough PVs, and enough free space on distinct PVs for each stripe's
     * share (lvm2 places each stripe of a segment on a different PV).
     */
    public static void requireStripesFit(String what, long bytes, int stripes, VgReport vg) {
        if (stripes > vg.pvCount()) {
            throw new StorageException.InvalidArgument("parameters.stripes: " + stripes + " stripes need " + stripes
                    + " PVs but VG " + vg.name() + " has " + vg.pvCount());
        }
        requireFree(what, bytes, vg);
        long perStripe = bytes / stripes;
        long usable = 0;
        for (PvReport pv : vg.pvs()) {
            usable += Math.min(pv.freeBytes(), perStripe);
        }
        if (usable < bytes) {
            throw new StorageException.OutOfCapacity(what + " needs " + Sizes.human(perStripe) + " free on each of "
                    + stripes + " PVs of VG " + vg.name() + ", which its PVs' free space cannot provide");
        }
    }

    /**
     * Thin over-provisioning: the virtual sizes of all thin volumes in a pool, with {@code additionalBytes},
     * stay within {@code ratio} times the pool's data size.
     */
    public static void requireThinRoom(String what, VgReport vg, LvReport pool, long additionalBytes, double ratio) {
        // Summed as doubles: byte counts near 2^63 must not overflow into a negative that passes the check.
        double virtual = 0;
        for (LvReport thin : vg.thinVolumesOf(pool.name())) {
            virtual += thin.sizeBytes();
        }
        double limit = ratio * pool.sizeBytes();
        double wanted = virtual + additionalBytes;
        if (wanted > limit) {
            throw new StorageException.OutOfCapacity(what + " would bring the thin volumes of pool " + vg.name() + "/"
                    + pool.name() + " to " + Sizes.human((long) wanted) + " virtual, over "
                    + Sizes.human((long) limit) + " (" + ratio + " x the pool's " + Sizes.human(pool.sizeBytes())
                    + "; setting thinOverProvisionRatio)");
        }
    }

    /**
     * The metadata size for a thin pool: 64 bytes per 64 KiB chunk (lvm2's own estimate), at least 4 MiB, at most
     * 15 GiB, in whole extents. Passed explicitly so the capacity check knows the full cost of the pool.
     */
    public static long thinPoolMetadataBytes(long dataBytes, long extentSizeBytes) {
        long estimate = Math.min(MAX_THIN_METADATA_BYTES, Math.max(MIN_THIN_METADATA_BYTES, dataBytes / 1024));
        return Sizes.roundUp("thin pool metadata", estimate, extentSizeBytes);
    }
}
