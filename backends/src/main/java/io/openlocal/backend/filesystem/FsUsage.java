package io.openlocal.backend.filesystem;

/**
 * Space and inodes of a mounted filesystem, as statfs(2) reports them.
 *
 * @param totalBytes      size of the filesystem's data area
 * @param usedBytes       total less free (what df calls used)
 * @param availableBytes  free to unprivileged users (ext reserves some blocks for root)
 * @param totalInodes     inodes in all (0 for filesystems without a fixed count)
 * @param usedInodes      inodes in use
 * @param availableInodes free inodes
 */
public record FsUsage(long totalBytes, long usedBytes, long availableBytes, long totalInodes, long usedInodes,
                      long availableInodes) {

    public FsUsage {
        if (totalBytes < 0 || usedBytes < 0 || availableBytes < 0 || totalInodes < 0 || usedInodes < 0
                || availableInodes < 0) {
            throw new IllegalArgumentException("filesystem figures must not be negative");
        }
    }
}
