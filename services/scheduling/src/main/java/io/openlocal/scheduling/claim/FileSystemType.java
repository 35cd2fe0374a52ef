package io.openlocal.scheduling.claim;

/** Filesystems a volume may be formatted with ({@code csi.storage.k8s.io/fstype}); names are case-sensitive. */
public enum FileSystemType {
    EXT2("ext2"), EXT3("ext3"), EXT4("ext4"), XFS("xfs");

    private final String wireName;

    FileSystemType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type with exactly this name, or null. */
    public static FileSystemType fromWireName(String value) {
        for (FileSystemType type : values()) {
            if (type.wireName.equals(value)) {
                return type;
            }
        }
        return null;
    }
}
