package io.openlocal.lvm.command;

import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.error.StorageException;
import java.util.Locale;

/**
 * Turns a failed lvm2 command into the typed error a caller acts on. lvm2 has no machine-readable error codes
 * (exit 5 covers everything), so its stderr, printed in the C locale, is matched against the few messages that
 * mean something other than "lvm failed". Warning lines (device-mapper absent, not zeroed) are ignored.
 */
public final class LvmFailures {

    private LvmFailures() {
    }

    /** The error for a failed run about {@code object} (for example {@code "LV vg0/local-a"}). */
    public static StorageException of(CommandResult result, String object) {
        String errors = errorLines(result.stderr()).toLowerCase(Locale.ROOT);
        String message = object + ": " + result.describe();
        if (errors.contains("insufficient free space") || errors.contains("insufficient free extents")
                || errors.contains("insufficient suitable allocatable extents")
                || errors.contains("not enough free")) {
            return new StorageException.OutOfCapacity(message);
        }
        if (errors.contains("already exists")) {
            return new StorageException.AlreadyExists(message);
        }
        if (errors.contains("not found") || errors.contains("failed to find")) {
            return new StorageException.NotFound(message);
        }
        if (errors.contains("in use") || errors.contains("open logical volume")
                || errors.contains("can't open") && errors.contains("exclusively")) {
            return new StorageException.Busy(message);
        }
        return new StorageException.Unavailable(message);
    }

    /** stderr without the WARNING lines lvm2 prints on every command on nodes without device-mapper. */
    static String errorLines(String stderr) {
        StringBuilder out = new StringBuilder();
        for (String line : stderr.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("WARNING:")) {
                out.append(trimmed).append('\n');
            }
        }
        return out.toString();
    }
}
