package io.openlocal.backend.naming;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes-style quantities as users write them in StorageClasses, NLS specs and YAML configuration:
 * {@code 1Gi}, {@code 256Mi}, {@code 500M}, {@code 1.5Gi}, {@code 1024}. Binary suffixes are powers of 1024,
 * decimal ones powers of 1000.
 */
public final class Quantities {

    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?");

    private Quantities() {
    }

    /**
     * Parses a quantity into whole bytes, rounding a fractional result up.
     *
     * @throws IllegalArgumentException with a message saying what is wrong (callers add the field name)
     */
    public static long parseBytes(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty quantity");
        }
        Matcher m = QUANTITY.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a quantity (expected e.g. 1024, 500M, 256Mi, 1Gi)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        BigDecimal bytes = number.multiply(new BigDecimal(multiplier(m.group(2))));
        BigInteger whole = bytes.setScale(0, java.math.RoundingMode.CEILING).toBigIntegerExact();
        if (whole.bitLength() > 63) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return whole.longValueExact();
    }

    /** Bytes as the shortest exact binary quantity ({@code 1Gi}, {@code 1536Mi}, {@code 1000}). */
    public static String format(long bytes) {
        String[] suffixes = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
        long[] units = {1L << 60, 1L << 50, 1L << 40, 1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return (bytes / units[i]) + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }

    private static BigInteger multiplier(String suffix) {
        if (suffix == null) {
            return BigInteger.ONE;
        }
        return switch (suffix) {
            case "Ki" -> BigInteger.TWO.pow(10);
            case "Mi" -> BigInteger.TWO.pow(20);
            case "Gi" -> BigInteger.TWO.pow(30);
            case "Ti" -> BigInteger.TWO.pow(40);
            case "Pi" -> BigInteger.TWO.pow(50);
            case "Ei" -> BigInteger.TWO.pow(60);
            case "k", "K" -> BigInteger.TEN.pow(3);
            case "M" -> BigInteger.TEN.pow(6);
            case "G" -> BigInteger.TEN.pow(9);
            case "T" -> BigInteger.TEN.pow(12);
            case "P" -> BigInteger.TEN.pow(15);
            case "E" -> BigInteger.TEN.pow(18);
            default -> throw new IllegalArgumentException("unknown suffix " + suffix);
        };
    }
}
