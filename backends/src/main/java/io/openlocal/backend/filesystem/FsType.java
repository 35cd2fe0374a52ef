package io.openlocal.backend.filesystem;

import io.openlocal.backend.error.StorageException;

/**
 * The filesystems this system makes, as StorageClass {@code csi.storage.k8s.io/fstype} names them and as blkid
 * reports them.
 */
public enum FsType {
    EXT4("ext4", "mkfs.ext4", 16),
    EXT3("ext3", "mkfs.ext3", 16),
    EXT2("ext2", "mkfs.ext2", 16),
    XFS("xfs", "mkfs.xfs", 12);

    private final String fsName;
    private final String mkfsProgram;
    private final int maxLabelLength;

    FsType(String fsName, String mkfsProgram, int maxLabelLength) {
        this.fsName = fsName;
        this.mkfsProgram = mkfsProgram;
        this.maxLabelLength = maxLabelLength;
    }

    /** The name blkid, mount and the StorageClass use. */
    public String fsName() {
        return fsName;
    }

    String mkfsProgram() {
        return mkfsProgram;
    }

    int maxLabelLength() {
        return maxLabelLength;
    }

    /** ext2, ext3 and ext4 grow with resize2fs; xfs with xfs_growfs. */
    public boolean isExt() {
        return this != XFS;
    }

    /** Parses a filesystem name exactly (lower case, as the StorageClass parameter is written). */
    public static FsType fromName(String field, String value) {
        for (FsType t : values()) {
            if (t.fsName.equals(value)) {
                return t;
            }
        }
        throw new StorageException.InvalidArgument(field + ": unsupported filesystem '" + value
                + "' (expected one of ext4, ext3, ext2, xfs)");
    }

    /** The type blkid reported, if it is one of these. */
    public static java.util.Optional<FsType> fromBlkid(String type) {
        for (FsType t : values()) {
            if (t.fsName.equals(type)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
