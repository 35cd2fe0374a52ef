package io.openlocal.device.mountpoint;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.DeviceNumber;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes everything stored in a mount point, and nothing outside it: symbolic links are deleted, never
 * followed; every file and directory is checked to lie on the mount point's own filesystem before it is
 * deleted, so a filesystem mounted inside, or the mount point vanishing underneath (unmounted mid-way, which
 * would expose the directory of the filesystem below), stops the work instead of spreading it. The mount point
 * directory itself and an ext {@code lost+found} directory are kept (emptied).
 */
public final class MountPointCleaner {

    private MountPointCleaner() {
    }

    /** @return how many files and directories were deleted */
    public static long removeContents(Path mountPoint, DeviceNumber filesystem) {
        requireOn(mountPoint, filesystem);
        long[] deleted = {0};
        try {
            Files.walkFileTree(mountPoint, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    requireOn(dir, filesystem);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    requireOn(file.getParent(), filesystem);
                    if (!attrs.isSymbolicLink()) {
                        requireOn(file, filesystem);
                    }
                    Files.delete(file);
                    deleted[0]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    boolean keep = dir.equals(mountPoint)
                            || (dir.getParent().equals(mountPoint)
                            && dir.getFileName().toString().equals(MountPointDiscovery.LOST_AND_FOUND));
                    if (!keep) {
                        requireOn(dir, filesystem);
                        Files.delete(dir);
                        deleted[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot empty mount point " + mountPoint + ": " + e.getMessage(), e);
        }
        return deleted[0];
    }

    private static void requireOn(Path path, DeviceNumber filesystem) {
        DeviceNumber actual;
        try {
            actual = DeviceNumber.fromDevT((Long) Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot inspect " + path + ": " + e.getMessage(), e);
        }
        if (!actual.equals(filesystem)) {
            throw new StorageException.Busy(path + " is on filesystem " + actual + ", not the mount point's "
                    + filesystem + "; stopping before deleting anything outside the volume");
        }
    }
}
