package io.openlocal.device.mountpoint;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.FilesystemStats;
import io.openlocal.backend.filesystem.FsUsage;
import io.openlocal.backend.filesystem.MountEntry;
import io.openlocal.backend.filesystem.MountTable;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.device.discovery.NameFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds mount points under the configured root: mountinfo for what is mounted where, one
 * {@code stat --file-system} for the sizes of all of them, sysfs for the media type of the device below.
 */
public final class MountPointDiscovery {

    static final String LOST_AND_FOUND = "lost+found";

    private final Path root;
    private final NameFilter filter;
    private final FilesystemStats stats;
    private final Path sysfsRoot;

    public MountPointDiscovery(Path root, NameFilter filter, FilesystemStats stats, Path sysfsRoot) {
        this.root = root;
        this.filter = filter;
        this.stats = stats;
        this.sysfsRoot = sysfsRoot;
    }

    /** Every mount strictly under the root that passes the filter (the top mount where several are stacked). */
    public List<DiscoveredMountPoint> scan(MountTable table) {
        Map<Path, MountEntry> top = new LinkedHashMap<>();
        for (MountEntry entry : table.entries()) {
            Path target = entry.target();
            if (target.startsWith(root) && !target.equals(root) && filter.accepts(target.toString())) {
                top.put(target, entry);
            }
        }
        return complete(new ArrayList<>(top.values()));
    }

    /** The mount point at exactly this path, if something is mounted there. */
    public Optional<DiscoveredMountPoint> find(MountTable table, Path path) {
        return table.mountAt(path).map(e -> complete(List.of(e)).getFirst());
    }

    private List<DiscoveredMountPoint> complete(List<MountEntry> entries) {
        Map<Path, FsUsage> usage = stats.ofAll(entries.stream().map(MountEntry::target).toList());
        List<DiscoveredMountPoint> result = new ArrayList<>();
        for (MountEntry entry : entries) {
            result.add(new DiscoveredMountPoint(entry, usage.get(entry.target()), mediaType(entry),
                    contents(entry.target())));
        }
        return result;
    }

    /** The rotational flag of the device (for a partition, of its disk). */
    private MediaType mediaType(MountEntry entry) {
        Path dev = sysfsRoot.resolve("dev/block").resolve(entry.device().toString());
        for (Path flag : List.of(dev.resolve("queue/rotational"), dev.resolve("../queue/rotational"))) {
            try {
                return MediaType.fromRotational(Files.readString(flag).strip().equals("1"));
            } catch (IOException e) {
                // Not a block device (tmpfs, overlay), or a partition: try the parent, then give up.
            }
        }
        return MediaType.UNKNOWN;
    }

    /** Top-level names other than an empty lost+found, which mkfs.ext* makes and which holds nothing. */
    static List<String> contents(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(c -> !(c.getFileName().toString().equals(LOST_AND_FOUND) && isEmptyDirectory(c)))
                    .map(c -> c.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot list mount point " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
