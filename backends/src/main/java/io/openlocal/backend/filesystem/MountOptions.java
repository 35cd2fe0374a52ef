package io.openlocal.backend.filesystem;

import io.openlocal.backend.error.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks filesystem mount options. Each option must have the shape of a plain kernel or filesystem option
 * ({@code noatime}, {@code discard}, {@code commit=30}, {@code context=system_u:object_r:foo_t:s0}), and
 * options that change what mount does rather than how the filesystem behaves are refused: they would turn
 * a mount into a bind, move or remount, set up loop devices, or run userspace helpers.
 */
public final class MountOptions {

    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9_]*(=[A-Za-z0-9_.:@+/-]+)?");

    private static final Set<String> REFUSED = Set.of("bind", "rbind", "move", "rmove", "remount", "loop", "offset",
            "sizelimit", "encryption", "owner", "user", "users", "group", "helper", "comment", "make-shared",
            "make-private", "make-slave", "make-unbindable", "make-rshared", "make-rprivate", "make-rslave",
            "make-runbindable", "defaults");

    private MountOptions() {
    }

    /** Splits a comma-separated option string (empty or null: no options) and checks each option. */
    public static List<String> parse(String field, String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isEmpty()) {
            return List.of();
        }
        return check(field, List.of(commaSeparated.split(",", -1)));
    }

    /** Checks a list of options; returns it unchanged. */
    public static List<String> check(String field, List<String> options) {
        List<String> checked = new ArrayList<>();
        for (String option : options) {
            if (option == null || option.length() > 256 || !OPTION.matcher(option).matches()) {
                throw new StorageException.InvalidArgument(field + ": mount option '" + printable(option)
                        + "' is not allowed (expected name or name=value of letters, digits and _ . : @ + / -)");
            }
            String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (REFUSED.contains(name.toLowerCase(Locale.ROOT)) || name.startsWith("x_")) {
                throw new StorageException.InvalidArgument(field + ": mount option '" + option
                        + "' changes how mount works and is not allowed here");
            }
            checked.add(option);
        }
        return List.copyOf(checked);
    }

    private static String printable(String option) {
        if (option == null) {
            return "null";
        }
        String clean = option.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
