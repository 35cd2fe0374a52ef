package io.openlocal.backend.naming;

import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks for every name and path that reaches an external command or the filesystem. A value that fails is
 * rejected with {@link StorageException.InvalidArgument} naming the field, before anything runs.
 */
public final class Names {

    /**
     * Letters, digits and {@code . _ + -}, starting with a letter or digit: safe as an argument (no leading
     * '-', so never taken for an option), as a path segment (no '/'), and in lvm2's and SPDK's name rules.
     */
    private static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    /** Absolute device paths under /dev, made of safe segments. */
    private static final Pattern DEVICE_PATH = Pattern.compile("/dev(/[A-Za-z0-9][A-Za-z0-9._:+-]*)+");

    private Names() {
    }

    /** A volume, pool, snapshot or VG name of at most {@code maxLength} characters. */
    public static String requireObjectName(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw new StorageException.InvalidArgument(field + ": must not be empty");
        }
        if (value.length() > maxLength) {
            throw new StorageException.InvalidArgument(field + ": '" + abbreviate(value) + "' is longer than "
                    + maxLength + " characters");
        }
        if (!OBJECT_NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new StorageException.InvalidArgument(field + ": '" + abbreviate(value)
                    + "' may contain only letters, digits, '.', '_', '+' and '-', and must start with a letter or digit");
        }
        return value;
    }

    /** An absolute, normalised path under /dev (no '..', no doubled slashes, no option-like segment). */
    public static String requireDevicePath(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new StorageException.InvalidArgument(field + ": must not be empty");
        }
        if (value.length() > 255 || !DEVICE_PATH.matcher(value).matches() || value.contains("/../")
                || value.endsWith("/..") || value.contains("/./") || value.endsWith("/.")) {
            throw new StorageException.InvalidArgument(field + ": '" + abbreviate(value)
                    + "' is not a device path (expected an absolute path under /dev such as /dev/sdb)");
        }
        return value;
    }

    /**
     * An absolute, normalised filesystem path that lies under {@code root} (or equals it when
     * {@code allowRoot}). Used for mount targets, staging paths and state files.
     */
    public static Path requirePathUnder(String field, String value, Path root, boolean allowRoot) {
        if (value == null || value.isEmpty()) {
            throw new StorageException.InvalidArgument(field + ": must not be empty");
        }
        if (value.indexOf('\0') >= 0 || value.length() > 4096) {
            throw new StorageException.InvalidArgument(field + ": not a usable path");
        }
        Path path = Path.of(value);
        if (!path.isAbsolute() || !path.normalize().equals(path) || value.contains("//")) {
            throw new StorageException.InvalidArgument(field + ": '" + abbreviate(value)
                    + "' must be an absolute path without '.', '..' or doubled slashes");
        }
        Path normalRoot = root.toAbsolutePath().normalize();
        if (!path.startsWith(normalRoot) || (!allowRoot && path.equals(normalRoot))) {
            throw new StorageException.InvalidArgument(field + ": '" + abbreviate(value) + "' is not under "
                    + normalRoot);
        }
        return path;
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
