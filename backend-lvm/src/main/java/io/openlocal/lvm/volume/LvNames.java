package io.openlocal.lvm.volume;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import java.util.List;

/**
 * lvm2's naming rules on top of the project-wide {@link Names} check (which already forbids '/', spaces, shell
 * characters and a leading '-'): the 127-character limit, the names lvm2 reserves for its own component LVs,
 * and the 127-character limit of the device-mapper name {@code VG-LV} (with '-' doubled) that activation uses.
 */
public final class LvNames {

    /** lvm2's NAME_LEN is 128 including the terminating NUL. */
    public static final int MAX_LENGTH = 127;

    private static final List<String> RESERVED_PREFIXES = List.of("pvmove", "snapshot");
    private static final List<String> RESERVED_PARTS = List.of("_cdata", "_cmeta", "_corig", "_cpool", "_cvol",
            "_wcorig", "_mimage", "_mlog", "_rimage", "_rmeta", "_tdata", "_tmeta", "_vdata", "_imeta", "_iorig",
            "_pmspare", "_vorigin");

    private LvNames() {
    }

    public static String requireVgName(String field, String value) {
        return Names.requireObjectName(field, value, MAX_LENGTH);
    }

    public static String requireLvName(String field, String value) {
        Names.requireObjectName(field, value, MAX_LENGTH);
        for (String prefix : RESERVED_PREFIXES) {
            if (value.startsWith(prefix)) {
                throw new StorageException.InvalidArgument(field + ": '" + value + "' starts with '" + prefix
                        + "', which lvm2 reserves");
            }
        }
        for (String part : RESERVED_PARTS) {
            if (value.contains(part)) {
                throw new StorageException.InvalidArgument(field + ": '" + value + "' contains '" + part
                        + "', which lvm2 reserves for its internal volumes");
            }
        }
        return value;
    }

    /** The device-mapper name of VG/LV must fit the kernel's 127 characters, or the LV could never be activated. */
    public static void requireDeviceMapperNameFits(String field, String vg, String lv) {
        int length = vg.replace("-", "--").length() + 1 + lv.replace("-", "--").length();
        if (length > MAX_LENGTH) {
            throw new StorageException.InvalidArgument(field + ": '" + lv + "' is too long for VG '" + vg
                    + "' (the device-mapper name would have " + length + " characters, at most " + MAX_LENGTH + ")");
        }
    }
}
