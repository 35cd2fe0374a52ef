package io.openlocal.backend.filesystem;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import java.nio.file.Path;

/** Checks for mount targets, bind sources and other filesystem paths handed to tools. */
public final class TargetPaths {

    private static final Path FILESYSTEM_ROOT = Path.of("/");

    private TargetPaths() {
    }

    /**
     * An absolute, normalised path other than {@code /}, without control characters (a newline would break the
     * one-line-per-path output of the tools that report on it).
     */
    public static Path require(String field, String value) {
        Path path = Names.requirePathUnder(field, value, FILESYSTEM_ROOT, false);
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new StorageException.InvalidArgument(field + ": path must not contain control characters");
        }
        return path;
    }

    /** As {@link #require(String, String)}, but {@code /} itself is allowed (for read-only questions). */
    public static Path requireAllowingRoot(String field, Path value) {
        if (value != null && value.toString().equals("/")) {
            return value;
        }
        return require(field, value);
    }

    /** As {@link #require(String, String)} for a path already held as a {@link Path}. */
    public static Path require(String field, Path value) {
        return require(field, value == null ? null : value.toString());
    }
}
