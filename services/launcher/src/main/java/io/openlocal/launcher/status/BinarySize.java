package io.openlocal.launcher.status;

import java.util.Locale;

/** Byte counts for people: binary units (KiB, MiB, GiB, TiB, PiB), one decimal unless exact. */
public final class BinarySize {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private BinarySize() {
    }

    /** {@code 1073741824} → {@code "1GiB"}; {@code 1610612736} → {@code "1.5GiB"}; null → {@code "-"}. */
    public static String format(Long bytes) {
        if (bytes == null) {
            return "-";
        }
        long value = bytes;
        if (value < 1024) {
            return value + "B";
        }
        int unit = 0;
        double scaled = value;
        while (scaled >= 1024 && unit < UNITS.length - 1) {
            scaled /= 1024;
            unit++;
        }
        long exactUnit = 1L << (10 * unit);
        if (value % exactUnit == 0) {
            return (value / exactUnit) + UNITS[unit];
        }
        return String.format(Locale.ROOT, "%.1f%s", scaled, UNITS[unit]);
    }
}
