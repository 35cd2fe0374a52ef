package io.openlocal.scheduling.placement;

/**
 * Bytes as a short figure for failure reasons ({@code 20.0 GiB}), without {@code String.format}: the filter
 * writes one reason per rejected node, so this is on the hot path.
 */
final class SizeText {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private SizeText() {
    }

    static String of(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        long scaled = bytes;
        while (scaled >= 1024 * 1024 && unit < UNITS.length - 2) {
            scaled >>= 10;
            unit++;
        }
        // scaled is in [1024, 1024²) of UNITS[unit]: one decimal of UNITS[unit + 1], rounded half up
        long tenths = (scaled * 10 + 512) >> 10;
        return (tenths / 10) + "." + (tenths % 10) + " " + UNITS[unit + 1];
    }
}
