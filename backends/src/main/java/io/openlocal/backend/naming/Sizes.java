package io.openlocal.backend.naming;

import io.openlocal.backend.error.StorageException;

/** Size checks and unit arithmetic, overflow-safe. Sizes are bytes everywhere inside the system. */
public final class Sizes {

    public static final long KiB = 1024L;
    public static final long MiB = 1024L * KiB;
    public static final long GiB = 1024L * MiB;
    public static final long TiB = 1024L * GiB;

    private Sizes() {
    }

    /** A size that must be greater than zero. */
    public static long requirePositive(String field, long bytes) {
        if (bytes <= 0) {
            throw new StorageException.InvalidArgument(field + ": must be greater than 0 bytes, got " + bytes);
        }
        return bytes;
    }

    /** Rounds up to a multiple of {@code unit}; a result past {@link Long#MAX_VALUE} is InvalidArgument. */
    public static long roundUp(String field, long bytes, long unit) {
        if (unit <= 0) {
            throw new IllegalArgumentException("unit must be positive");
        }
        long remainder = bytes % unit;
        if (remainder == 0) {
            return bytes;
        }
        try {
            return Math.addExact(bytes, unit - remainder);
        } catch (ArithmeticException e) {
            throw new StorageException.InvalidArgument(field + ": " + bytes + " bytes is too large");
        }
    }

    /** Bytes to whole MiB, rounding up (SPDK takes sizes in MiB). */
    public static long toMiBRoundingUp(long bytes) {
        return bytes / MiB + (bytes % MiB == 0 ? 0 : 1);
    }

    /** Bytes as a short human figure (for messages and tables only). */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int i = 0;
        while (Math.abs(value) >= 1024 && i < units.length - 1) {
            value /= 1024;
            i++;
        }
        return i == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[i]);
    }
}
