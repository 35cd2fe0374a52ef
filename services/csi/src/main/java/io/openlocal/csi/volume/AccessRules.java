package io.openlocal.csi.volume;

import io.openlocal.backend.filesystem.MountOptions;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.grpc.Errors;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.csi.v1.VolumeCapability.AccessMode.Mode;
import java.util.List;
import java.util.Set;

/**
 * Which volume capabilities this plugin can honour. Local volumes live on one node, so only single-node access
 * modes are supported; block access is offered by the backends that have a block device (not MountPoint, which
 * is a directory).
 */
public final class AccessRules {

    /** Single-node modes; the multi-writer variants need the SINGLE_NODE_MULTI_WRITER capability we do not offer. */
    private static final Set<Mode> SUPPORTED_MODES = Set.of(Mode.SINGLE_NODE_WRITER, Mode.SINGLE_NODE_READER_ONLY);

    /** Filesystems the node service can make and mount. */
    public static final Set<String> FILESYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs");

    /** CSI caps mount_flags at 4 KiB in all. */
    private static final int MAX_MOUNT_FLAGS_BYTES = 4096;

    private AccessRules() {
    }

    /**
     * Checks that a capability is well formed (INVALID_ARGUMENT naming the field otherwise).
     *
     * @param field the request field, for messages ({@code volume_capabilities[0]})
     */
    public static void requireWellFormed(String field, VolumeCapability capability) {
        if (capability.getAccessTypeCase() == VolumeCapability.AccessTypeCase.ACCESSTYPE_NOT_SET) {
            throw Errors.invalid(field + ": access_type (block or mount) is required");
        }
        if (!capability.hasAccessMode() || capability.getAccessMode().getMode() == Mode.UNKNOWN) {
            throw Errors.invalid(field + ".access_mode: a mode is required");
        }
        if (capability.getAccessMode().getMode() == Mode.UNRECOGNIZED) {
            throw Errors.invalid(field + ".access_mode: unknown mode number "
                    + capability.getAccessMode().getModeValue());
        }
        if (capability.hasMount()) {
            String fs = capability.getMount().getFsType();
            if (!fs.isEmpty() && !FILESYSTEMS.contains(fs)) {
                throw Errors.invalid(field + ".mount.fs_type: '" + printable(fs) + "' is not one of " + FILESYSTEMS);
            }
            List<String> flags = capability.getMount().getMountFlagsList();
            int bytes = flags.stream().mapToInt(f -> f.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
            if (bytes > MAX_MOUNT_FLAGS_BYTES) {
                throw Errors.invalid(field + ".mount.mount_flags: more than 4 KiB in all");
            }
            try {
                MountOptions.check(field + ".mount.mount_flags", splitFlags(flags));
            } catch (io.openlocal.backend.error.StorageException e) {
                throw Errors.invalid(e.getMessage());
            }
            if (!capability.getMount().getVolumeMountGroup().isEmpty()) {
                throw Errors.invalid(field + ".mount.volume_mount_group: not supported (no VOLUME_MOUNT_GROUP capability)");
            }
        }
    }

    /** Why this plugin cannot honour a well-formed capability for a volume type, or null if it can. */
    public static String unsupportedReason(VolumeCapability capability, PoolType type) {
        Mode mode = capability.getAccessMode().getMode();
        if (!SUPPORTED_MODES.contains(mode)) {
            return "access mode " + mode + " is not supported (local volumes are single-node: use SINGLE_NODE_WRITER "
                    + "or SINGLE_NODE_READER_ONLY)";
        }
        if (capability.hasBlock() && type == PoolType.MOUNT_POINT) {
            return "MountPoint volumes are directories and cannot be used as raw block devices";
        }
        return null;
    }

    /** Mount flags as a list of single options ("ro,noatime" counts as two). */
    public static List<String> splitFlags(List<String> flags) {
        return flags.stream().flatMap(f -> java.util.Arrays.stream(f.split(","))).filter(f -> !f.isEmpty()).toList();
    }

    static String printable(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
