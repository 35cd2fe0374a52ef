package io.openlocal.scheduling.claim;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import io.openlocal.backend.naming.Quantities;
import io.openlocal.backend.pool.MediaType;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The validated parameters of an Open-Local StorageClass: the single place where they are parsed, for the
 * scheduler extender and the CSI plugin alike (Open-Local's {@code docs/storageclass/param.md}).
 *
 * @param volumeKind  {@code volumeType}: LVM, Device, MountPoint or SPDK (case-sensitive); required
 * @param vgName      {@code vgName}: the VG (for SPDK: the lvstore) to carve from; null = the scheduler picks
 * @param mediaType   {@code mediaType}: hdd or ssd, Device and MountPoint only; null = any media
 * @param fsType      {@code csi.storage.k8s.io/fstype}: ext2, ext3, ext4 (default) or xfs
 * @param iops        {@code iops}: IO operations per second limit, or null for none
 * @param bpsBytes    {@code bps}: bytes per second limit ({@code 1048576} or {@code 1Mi}), or null for none
 */
public record StorageClassParameters(VolumeKind volumeKind, String vgName, MediaType mediaType,
                                     FileSystemType fsType, Long iops, Long bpsBytes) {

    public static final String VOLUME_TYPE = "volumeType";
    public static final String VG_NAME = "vgName";
    public static final String MEDIA_TYPE = "mediaType";
    public static final String FS_TYPE = "csi.storage.k8s.io/fstype";
    public static final String IOPS = "iops";
    public static final String BPS = "bps";
    /** Open-Local's older switch: {@code spdk: "true"} on an LVM class meant "an SPDK volume". */
    public static final String SPDK = "spdk";

    /** Keys the CSI sidecars reserve (secrets, provisioner options); they are theirs, not ours. */
    private static final String SIDECAR_PREFIX = "csi.storage.k8s.io/";

    private static final Set<String> KNOWN = Set.of(VOLUME_TYPE, VG_NAME, MEDIA_TYPE, FS_TYPE, IOPS, BPS, SPDK);

    /** LVM allows 127 characters in a VG name. */
    private static final int MAX_POOL_NAME = 127;

    public StorageClassParameters {
        if (volumeKind == null) {
            throw invalid(VOLUME_TYPE, "is required");
        }
        if (vgName != null) {
            if (!volumeKind.shared()) {
                throw invalid(VG_NAME, "applies only to volumeType LVM or SPDK, not " + volumeKind.wireName());
            }
            Names.requireObjectName("StorageClass parameter '" + VG_NAME + "'", vgName, MAX_POOL_NAME);
        }
        if (mediaType != null) {
            if (volumeKind.shared()) {
                throw invalid(MEDIA_TYPE, "applies only to volumeType Device or MountPoint, not "
                        + volumeKind.wireName());
            }
            if (mediaType == MediaType.UNKNOWN) {
                throw invalid(MEDIA_TYPE, "must be hdd or ssd");
            }
        }
        if (fsType == null) {
            fsType = FileSystemType.EXT4;
        }
        if ((iops != null || bpsBytes != null) && volumeKind == VolumeKind.MOUNT_POINT) {
            throw invalid(iops != null ? IOPS : BPS, "applies only to volumes with a block device of their own "
                    + "(LVM, Device, SPDK), not MountPoint");
        }
        if (iops != null && iops <= 0) {
            throw invalid(IOPS, "must be a positive whole number, got " + iops);
        }
        if (bpsBytes != null && bpsBytes <= 0) {
            throw invalid(BPS, "must be positive, got " + bpsBytes);
        }
    }

    /**
     * Parses a StorageClass's {@code parameters} map. Unknown keys, wrong values and keys that do not apply to
     * the volume type are {@link StorageException.InvalidArgument} naming the key; keys under
     * {@code csi.storage.k8s.io/} other than the fstype belong to the CSI sidecars and are ignored.
     */
    public static StorageClassParameters parse(Map<String, String> parameters) {
        Map<String, String> p = parameters == null ? Map.of() : parameters;
        Set<String> unknown = new TreeSet<>();
        for (String key : p.keySet()) {
            if (!KNOWN.contains(key) && !(key != null && key.startsWith(SIDECAR_PREFIX))) {
                unknown.add(String.valueOf(key));
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw invalid(first, "is not a known parameter" + (unknown.size() > 1 ? " (nor are " + unknown + ")" : "")
                    + "; known: " + new TreeSet<>(KNOWN));
        }

        String typeText = p.get(VOLUME_TYPE);
        if (typeText == null || typeText.isEmpty()) {
            throw invalid(VOLUME_TYPE, "is required (one of " + kindNames() + ")");
        }
        VolumeKind kind = VolumeKind.fromWireName(typeText);
        if (kind == null) {
            throw invalid(VOLUME_TYPE, "'" + printable(typeText) + "' is not one of " + kindNames() + " (case-sensitive)");
        }
        if (p.containsKey(SPDK)) {
            boolean spdk = parseBoolean(SPDK, p.get(SPDK));
            if (spdk) {
                if (kind != VolumeKind.LVM && kind != VolumeKind.SPDK) {
                    throw invalid(SPDK, "\"true\" applies only to volumeType LVM or SPDK, not " + kind.wireName());
                }
                kind = VolumeKind.SPDK;
            } else if (kind == VolumeKind.SPDK) {
                throw invalid(SPDK, "\"false\" contradicts volumeType SPDK");
            }
        }

        String vgName = p.get(VG_NAME);
        if (vgName != null && vgName.isEmpty()) {
            vgName = null; // Open-Local: an empty vgName lets the scheduler pick
        }

        MediaType media = null;
        String mediaText = p.get(MEDIA_TYPE);
        if (mediaText != null && !mediaText.isEmpty()) {
            media = MediaType.fromLabel(mediaText);
            if (media == null) {
                throw invalid(MEDIA_TYPE, "'" + printable(mediaText) + "' is not hdd or ssd (case-sensitive)");
            }
        }

        FileSystemType fs = null;
        String fsText = p.get(FS_TYPE);
        if (fsText != null && !fsText.isEmpty()) {
            fs = FileSystemType.fromWireName(fsText);
            if (fs == null) {
                throw invalid(FS_TYPE, "'" + printable(fsText) + "' is not one of "
                        + Arrays.stream(FileSystemType.values()).map(FileSystemType::wireName).toList()
                        + " (case-sensitive)");
            }
        }

        Long iops = null;
        String iopsText = p.get(IOPS);
        if (iopsText != null) {
            if (!iopsText.matches("[0-9]{1,18}")) {
                throw invalid(IOPS, "'" + printable(iopsText) + "' is not a positive whole number");
            }
            iops = Long.parseLong(iopsText);
        }

        Long bps = null;
        String bpsText = p.get(BPS);
        if (bpsText != null) {
            try {
                bps = Quantities.parseBytes(bpsText);
            } catch (IllegalArgumentException e) {
                throw invalid(BPS, e.getMessage() + " (bytes per second, e.g. 102400 or 1Mi)");
            }
        }
        return new StorageClassParameters(kind, vgName, media, fs, iops, bps);
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value == null ? "" : value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "'" + printable(value) + "' is not true or false");
        };
    }

    private static String kindNames() {
        return Arrays.stream(VolumeKind.values()).map(VolumeKind::wireName).collect(Collectors.joining(", "));
    }

    private static String printable(String value) {
        String clean = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }

    private static StorageException.InvalidArgument invalid(String key, String problem) {
        return new StorageException.InvalidArgument("StorageClass parameter '" + printable(key) + "' " + problem);
    }
}
