package io.openlocal.device.mountpoint;

import io.openlocal.backend.filesystem.FsUsage;
import io.openlocal.backend.filesystem.MountEntry;
import io.openlocal.backend.pool.MediaType;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A mounted filesystem under the mount point root, as one discovery pass saw it.
 *
 * @param entry     its mountinfo entry (the top one at its path)
 * @param usage     statfs figures
 * @param mediaType of the device under it, where sysfs tells
 * @param contents  top-level names in it other than an empty {@code lost+found} (data that is there)
 */
public record DiscoveredMountPoint(MountEntry entry, FsUsage usage, MediaType mediaType, List<String> contents) {

    public DiscoveredMountPoint {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(usage, "usage");
        contents = List.copyOf(contents);
    }

    public Path path() {
        return entry.target();
    }

    /** Nothing is stored in it. */
    public boolean isEmpty() {
        return contents.isEmpty();
    }
}
