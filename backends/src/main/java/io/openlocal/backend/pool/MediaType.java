package io.openlocal.backend.pool;

/** Media type as Open-Local reports it ({@code hdd}/{@code ssd}), from the kernel's rotational flag. */
public enum MediaType {
    HDD("hdd"), SSD("ssd"), UNKNOWN("unknown");

    private final String label;

    MediaType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static MediaType fromRotational(boolean rotational) {
        return rotational ? HDD : SSD;
    }

    /** Parses {@code hdd} or {@code ssd} (StorageClass {@code mediaType}); anything else is null. */
    public static MediaType fromLabel(String label) {
        for (MediaType m : values()) {
            if (m != UNKNOWN && m.label.equals(label)) {
                return m;
            }
        }
        return null;
    }
}
