package io.openlocal.lvm;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.lvm.volume.LvNames;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The LVM backend's settings (BackendContext.settings), validated; unknown keys are refused so a typo does not
 * silently fall back to a default.
 *
 * @param lvNamePrefix             prefix of the LVs this system owns ({@code lvNamePrefix}, default {@code local})
 * @param adoptUntaggedLvs         treat prefixed LVs without our tag (made by Alibaba Open-Local) as owned
 *                                 ({@code adoptUntaggedLvs}, default true)
 * @param reportCacheTtl           how long one lvm fullreport serves discovery calls ({@code reportCacheTtlMillis},
 *                                 default 3000; 0 disables caching)
 * @param thinOverProvisionRatio   cap on the sum of thin volumes' virtual sizes per pool, as a multiple of the
 *                                 pool's size ({@code thinOverProvisionRatio}, default 1.0)
 * @param snapshotInitialSizeBytes COW space of a snapshot whose request gives no size
 *                                 ({@code snapshotInitialSizeBytes}, default 4 GiB as Open-Local's
 *                                 {@code snapshot-initial-size}; never more than the origin's size)
 * @param commandTimeout           limit for every lvm2 and probe command ({@code commandTimeoutSeconds}, default 60)
 */
public record LvmSettings(String lvNamePrefix, boolean adoptUntaggedLvs, Duration reportCacheTtl,
                          double thinOverProvisionRatio, long snapshotInitialSizeBytes, Duration commandTimeout) {

    public static final String LV_NAME_PREFIX = "lvNamePrefix";
    public static final String ADOPT_UNTAGGED_LVS = "adoptUntaggedLvs";
    public static final String REPORT_CACHE_TTL_MILLIS = "reportCacheTtlMillis";
    public static final String THIN_OVER_PROVISION_RATIO = "thinOverProvisionRatio";
    public static final String SNAPSHOT_INITIAL_SIZE_BYTES = "snapshotInitialSizeBytes";
    public static final String COMMAND_TIMEOUT_SECONDS = "commandTimeoutSeconds";
    public static final Set<String> KEYS = Set.of(LV_NAME_PREFIX, ADOPT_UNTAGGED_LVS, REPORT_CACHE_TTL_MILLIS,
            THIN_OVER_PROVISION_RATIO, SNAPSHOT_INITIAL_SIZE_BYTES, COMMAND_TIMEOUT_SECONDS);

    public static LvmSettings defaults() {
        return from(Map.of());
    }

    public static LvmSettings from(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new StorageException.InvalidArgument("settings: unknown LVM backend key '" + key + "' (known: "
                        + new TreeSet<>(KEYS) + ")");
            }
        }
        String prefix = settings.getOrDefault(LV_NAME_PREFIX, "local");
        LvNames.requireLvName("settings." + LV_NAME_PREFIX, prefix);
        if (prefix.length() > 64) {
            throw new StorageException.InvalidArgument("settings." + LV_NAME_PREFIX + ": longer than 64 characters");
        }
        boolean adopt = bool(settings, ADOPT_UNTAGGED_LVS, true);
        long ttlMillis = number(settings, REPORT_CACHE_TTL_MILLIS, 3000, 0, 600_000);
        double ratio = ratio(settings);
        long snapshotSize = number(settings, SNAPSHOT_INITIAL_SIZE_BYTES, 4 * Sizes.GiB, 1, Long.MAX_VALUE);
        long timeoutSeconds = number(settings, COMMAND_TIMEOUT_SECONDS, 60, 1, 3600);
        return new LvmSettings(prefix, adopt, Duration.ofMillis(ttlMillis), ratio, snapshotSize,
                Duration.ofSeconds(timeoutSeconds));
    }

    private static boolean bool(Map<String, String> settings, String key, boolean fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new StorageException.InvalidArgument("settings." + key + ": '" + value
                    + "' is not true or false");
        };
    }

    private static long number(Map<String, String> settings, String key, long fallback, long min, long max) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument("settings." + key + ": '" + value + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new StorageException.InvalidArgument("settings." + key + ": " + parsed + " is outside " + min + ".."
                    + max);
        }
        return parsed;
    }

    private static double ratio(Map<String, String> settings) {
        String value = settings.get(THIN_OVER_PROVISION_RATIO);
        if (value == null) {
            return 1.0;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument("settings." + THIN_OVER_PROVISION_RATIO + ": '" + value
                    + "' is not a number");
        }
        if (!(parsed >= 1.0 && parsed <= 1000.0)) {
            throw new StorageException.InvalidArgument("settings." + THIN_OVER_PROVISION_RATIO + ": " + value
                    + " is outside 1.0..1000");
        }
        return parsed;
    }
}
