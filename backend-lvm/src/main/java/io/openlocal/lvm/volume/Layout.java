package io.openlocal.lvm.volume;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layout a volume request asks for, read from {@code VolumeSpec.parameters}:
 * <ul>
 *   <li>{@code lvType}: {@code linear} (default), {@code striped}, {@code thin} or {@code thin-pool};</li>
 *   <li>{@code stripes}: 2..128 stripes across distinct PVs (implies {@code striped}; 1 means linear);</li>
 *   <li>{@code stripeSizeBytes}: a power of two of at least 4 KiB, at most the VG's extent size; default 64 KiB;</li>
 *   <li>{@code thinPool}: the thin pool of a thin volume (implies {@code thin}).</li>
 * </ul>
 * Unknown keys and contradictory combinations are InvalidArgument naming the key.
 *
 * @param kind            LINEAR, STRIPED, THIN or THIN_POOL
 * @param stripes         stripes for STRIPED, else 1
 * @param stripeSizeBytes stripe size for STRIPED, else 0
 * @param thinPool        the pool for THIN, else empty
 */
public record Layout(LvKind kind, int stripes, long stripeSizeBytes, String thinPool) {

    public static final String LV_TYPE = "lvType";
    public static final String STRIPES = "stripes";
    public static final String STRIPE_SIZE = "stripeSizeBytes";
    public static final String THIN_POOL = "thinPool";
    public static final Set<String> KEYS = Set.of(LV_TYPE, STRIPES, STRIPE_SIZE, THIN_POOL);

    public static final long DEFAULT_STRIPE_SIZE_BYTES = 64 * Sizes.KiB;
    static final long MIN_STRIPE_SIZE_BYTES = 4 * Sizes.KiB;
    static final int MAX_STRIPES = 128;

    public static final Layout LINEAR = new Layout(LvKind.LINEAR, 1, 0, "");

    public static Layout fromParameters(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!KEYS.contains(key)) {
                throw new StorageException.InvalidArgument("parameters: unknown key '" + key
                        + "' for an LVM volume (known: " + new TreeSet<>(KEYS) + ")");
            }
        }
        String type = parameters.get(LV_TYPE);
        String stripesText = parameters.get(STRIPES);
        String stripeSizeText = parameters.get(STRIPE_SIZE);
        String thinPool = parameters.get(THIN_POOL);

        int stripes = stripesText == null ? 1 : parseStripes(stripesText);
        LvKind kind;
        if (type == null) {
            kind = thinPool != null ? LvKind.THIN : stripes > 1 ? LvKind.STRIPED : LvKind.LINEAR;
        } else {
            kind = switch (type) {
                case "linear" -> LvKind.LINEAR;
                case "striped" -> LvKind.STRIPED;
                case "thin" -> LvKind.THIN;
                case "thin-pool" -> LvKind.THIN_POOL;
                default -> throw new StorageException.InvalidArgument("parameters." + LV_TYPE + ": '" + type
                        + "' is not one of linear, striped, thin, thin-pool");
            };
        }
        switch (kind) {
            case LINEAR -> {
                if (stripes > 1) {
                    throw new StorageException.InvalidArgument("parameters." + STRIPES + ": " + stripes
                            + " stripes contradict " + LV_TYPE + "=linear");
                }
                requireAbsent(stripeSizeText, STRIPE_SIZE, "a linear volume");
                requireAbsent(thinPool, THIN_POOL, "a linear volume");
                return LINEAR;
            }
            case STRIPED -> {
                if (stripes < 2) {
                    throw new StorageException.InvalidArgument("parameters." + STRIPES
                            + ": a striped volume needs at least 2 stripes");
                }
                requireAbsent(thinPool, THIN_POOL, "a striped volume");
                long stripeSize = stripeSizeText == null ? DEFAULT_STRIPE_SIZE_BYTES : parseStripeSize(stripeSizeText);
                return new Layout(LvKind.STRIPED, stripes, stripeSize, "");
            }
            case THIN -> {
                requireAbsent(stripesText, STRIPES, "a thin volume");
                requireAbsent(stripeSizeText, STRIPE_SIZE, "a thin volume");
                if (thinPool == null) {
                    throw new StorageException.InvalidArgument("parameters." + THIN_POOL
                            + ": a thin volume needs the name of its thin pool");
                }
                return new Layout(LvKind.THIN, 1, 0, LvNames.requireLvName("parameters." + THIN_POOL, thinPool));
            }
            default -> {
                requireAbsent(stripesText, STRIPES, "a thin pool");
                requireAbsent(stripeSizeText, STRIPE_SIZE, "a thin pool");
                requireAbsent(thinPool, THIN_POOL, "a thin pool");
                return new Layout(LvKind.THIN_POOL, 1, 0, "");
            }
        }
    }

    /** Whether an existing LV has this layout (the idempotency rule compares layouts, not only sizes). */
    public boolean matches(LvReport lv) {
        if (lv.kind() != kind) {
            return false;
        }
        return switch (kind) {
            case STRIPED -> lv.stripes() == stripes && lv.stripeSizeBytes() == stripeSizeBytes;
            case THIN -> lv.poolLv().equals(thinPool);
            default -> true;
        };
    }

    /** A short description for messages: {@code striped(2 x 64 KiB)}, {@code thin(pool local-pool)}. */
    public String describe() {
        return describe(kind, stripes, stripeSizeBytes, thinPool);
    }

    public static String describe(LvReport lv) {
        return describe(lv.kind(), lv.stripes(), lv.stripeSizeBytes(), lv.poolLv());
    }

    private static String describe(LvKind kind, int stripes, long stripeSizeBytes, String thinPool) {
        return switch (kind) {
            case STRIPED -> "striped(" + stripes + " x " + Sizes.human(stripeSizeBytes) + ")";
            case THIN -> "thin(pool " + thinPool + ")";
            default -> kind.label();
        };
    }

    private static int parseStripes(String text) {
        int stripes;
        try {
            stripes = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument("parameters." + STRIPES + ": '" + text + "' is not a number");
        }
        if (stripes < 1 || stripes > MAX_STRIPES) {
            throw new StorageException.InvalidArgument("parameters." + STRIPES + ": " + stripes
                    + " is outside 1.." + MAX_STRIPES);
        }
        return stripes;
    }

    private static long parseStripeSize(String text) {
        long bytes;
        try {
            bytes = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument("parameters." + STRIPE_SIZE + ": '" + text
                    + "' is not a number of bytes");
        }
        if (bytes < MIN_STRIPE_SIZE_BYTES || Long.bitCount(bytes) != 1) {
            throw new StorageException.InvalidArgument("parameters." + STRIPE_SIZE + ": " + bytes
                    + " must be a power of two of at least " + MIN_STRIPE_SIZE_BYTES);
        }
        return bytes;
    }

    private static void requireAbsent(String value, String key, String what) {
        if (value != null) {
            throw new StorageException.InvalidArgument("parameters." + key + ": does not apply to " + what);
        }
    }
}
