package io.openlocal.backend.filesystem;

import io.openlocal.backend.error.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The mounts of this process's mount namespace, parsed from {@code /proc/self/mountinfo} (proc(5)): the one
 * source of truth for "what is mounted where, from which device". Immutable snapshot; read again to refresh.
 */
public final class MountTable {

    public static final Path PROC_SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

    private final List<MountEntry> entries;

    private MountTable(List<MountEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads the current table of this process. */
    public static MountTable read() {
        return read(PROC_SELF_MOUNTINFO);
    }

    /** Reads a mountinfo file (another process's, or a copy in a test). */
    public static MountTable read(Path mountinfo) {
        try {
            return parse(Files.readString(mountinfo, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot read " + mountinfo + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses mountinfo text. Fields are separated by single spaces; the optional fields end at a lone
     * {@code -}; space, tab, newline and backslash inside paths are written as {@code \ooo} octal escapes.
     */
    public static MountTable parse(String text) {
        List<MountEntry> entries = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            entries.add(parseLine(line, lineNumber));
        }
        return new MountTable(entries);
    }

    private static MountEntry parseLine(String line, int lineNumber) {
        String[] f = line.split(" ", -1);
        int separator = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                separator = i;
                break;
            }
        }
        if (f.length < 10 || separator < 0 || f.length < separator + 4) {
            throw new StorageException.Internal("mountinfo line " + lineNumber + " has an unexpected shape: " + line);
        }
        try {
            return new MountEntry(
                    Integer.parseInt(f[0]),
                    Integer.parseInt(f[1]),
                    DeviceNumber.parse(f[2]),
                    unescape(f[3]),
                    Path.of(unescape(f[4])),
                    splitOptions(f[5]),
                    List.of(Arrays.copyOfRange(f, 6, separator)),
                    unescape(f[separator + 1]),
                    unescape(f[separator + 2]),
                    splitOptions(f[separator + 3]));
        } catch (NumberFormatException e) {
            throw new StorageException.Internal("mountinfo line " + lineNumber + " has a bad mount id: " + line, e);
        }
    }

    private static List<String> splitOptions(String field) {
        return field.isEmpty() ? List.of() : List.of(unescape(field).split(","));
    }

    /** Decodes {@code \ooo} octal escapes; the bytes they make are UTF-8 (paths are bytes on Linux). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\\' && i + 3 < bytes.length && isOctal(bytes[i + 1]) && isOctal(bytes[i + 2])
                    && isOctal(bytes[i + 3])) {
                out.write(((bytes[i + 1] - '0') << 6) | ((bytes[i + 2] - '0') << 3) | (bytes[i + 3] - '0'));
                i += 3;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    /** Every mount, in the kernel's order (a later mount at the same target covers an earlier one). */
    public List<MountEntry> entries() {
        return entries;
    }

    /** The mount visible at exactly this path (the last one mounted there), if any. */
    public Optional<MountEntry> mountAt(Path target) {
        Path normal = target.toAbsolutePath().normalize();
        MountEntry found = null;
        for (MountEntry entry : entries) {
            if (entry.target().equals(normal)) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Every mount at this path, bottom first (stacked mounts). */
    public List<MountEntry> mountsAt(Path target) {
        Path normal = target.toAbsolutePath().normalize();
        return entries.stream().filter(e -> e.target().equals(normal)).toList();
    }

    /** Mounts whose filesystem lives on this device number (the device itself, including bind mounts of it). */
    public List<MountEntry> mountsOf(DeviceNumber device) {
        return entries.stream().filter(e -> e.device().equals(device)).toList();
    }

    /**
     * Mounts that show this file or directory (resolved, no symlinks) somewhere: bind mounts of it, and for a
     * directory mounts of its own filesystem when it is that filesystem's root. Found by filesystem and root,
     * because a bind mount's source field names the filesystem, not the file.
     */
    public List<MountEntry> mountsShowing(Path resolvedPath) {
        Optional<MountEntry> home = containing(resolvedPath);
        if (home.isEmpty()) {
            return List.of();
        }
        Path relative = home.get().target().relativize(resolvedPath.toAbsolutePath().normalize());
        String expectedRoot = joinRoot(home.get().root(), relative);
        DeviceNumber fs = home.get().device();
        return entries.stream().filter(e -> e.device().equals(fs) && e.root().equals(expectedRoot)).toList();
    }

    /** The mountinfo root a bind mount of {@code relative} inside a mount of {@code root} would show. */
    static String joinRoot(String root, Path relative) {
        String rel = relative.toString();
        if (rel.isEmpty()) {
            return root;
        }
        return root.endsWith("/") ? root + rel : root + "/" + rel;
    }

    /**
     * The mount whose filesystem holds {@code path}: the deepest mount target that is a prefix of it (later
     * entries win on equal targets). The path should already be resolved (no symlinks).
     */
    public Optional<MountEntry> containing(Path path) {
        Path normal = path.toAbsolutePath().normalize();
        MountEntry best = null;
        for (MountEntry entry : entries) {
            if (normal.startsWith(entry.target())
                    && (best == null || entry.target().getNameCount() >= best.target().getNameCount())) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }
}
