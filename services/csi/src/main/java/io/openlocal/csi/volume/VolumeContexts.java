package io.openlocal.csi.volume;

import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.scheduling.claim.StorageClassParameters;
import io.openlocal.scheduling.claim.VolumeContextKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identifying parameters recorded with a volume (its idempotency fingerprint) and the CSI volume_context
 * derived from them. The context uses Open-Local's keys ({@link VolumeContextKeys}) so the scheduler extender can
 * rebuild its ledger from PVs; it depends only on the record, so a volume always reports the same context.
 */
public final class VolumeContexts {

    /** Recorded parameter keys (the StorageClass keys, normalised). */
    public static final String FS_TYPE = "fsType";
    public static final String MEDIA_TYPE = "mediaType";
    public static final String IOPS = "iops";
    public static final String BPS = "bps";
    public static final String READ_ONLY_SOURCE = "readOnlySource";

    private VolumeContexts() {
    }

    /** The fingerprint of a request: the parsed StorageClass parameters with defaults filled in. */
    public static Map<String, String> fingerprint(StorageClassParameters parameters, String fsType) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(VolumeContextKeys.VOLUME_TYPE, parameters.volumeKind().wireName());
        if (parameters.vgName() != null) {
            map.put(VolumeContextKeys.VG_NAME, parameters.vgName());
        }
        if (parameters.mediaType() != null) {
            map.put(MEDIA_TYPE, parameters.mediaType().label());
        }
        map.put(FS_TYPE, fsType);
        if (parameters.iops() != null) {
            map.put(IOPS, parameters.iops().toString());
        }
        if (parameters.bpsBytes() != null) {
            map.put(BPS, parameters.bpsBytes().toString());
        }
        return map;
    }

    /** The CSI volume_context of a volume: type, where it lives, and how to format it. */
    public static Map<String, String> context(VolumeRef ref, Map<String, String> recorded) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(VolumeContextKeys.VOLUME_TYPE, ref.type().volumeType());
        switch (ref.type()) {
            case LVM, SPDK -> context.put(VolumeContextKeys.VG_NAME, ref.pool());
            case DEVICE -> context.put(VolumeContextKeys.DEVICE, ref.pool());
            case MOUNT_POINT -> context.put(VolumeContextKeys.MOUNT_POINT, ref.pool());
        }
        context.put(FS_TYPE, recorded.getOrDefault(FS_TYPE, "ext4"));
        for (String key : new String[] {MEDIA_TYPE, IOPS, BPS, READ_ONLY_SOURCE}) {
            if (recorded.containsKey(key)) {
                context.put(key, recorded.get(key));
            }
        }
        return context;
    }

    /** Whether volumes of this type have a block device the node formats and mounts. */
    public static boolean hasBlockDevice(PoolType type) {
        return type != PoolType.MOUNT_POINT;
    }
}
