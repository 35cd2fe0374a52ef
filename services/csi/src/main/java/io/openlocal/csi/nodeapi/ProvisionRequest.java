package io.openlocal.csi.nodeapi;

import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A volume for a CSI name.
 *
 * @param csiName           the CO's name (the idempotency key)
 * @param type              the backend
 * @param requiredBytes     the least size
 * @param limitBytes        the most size, 0 for none
 * @param pool              the pool to use; empty lets the node choose (LVM: by strategy; Device: smallest fit)
 * @param mediaType         Device and MountPoint: the media wanted
 * @param parameters        what identifies the request: the same name with other parameters is AlreadyExists
 * @param backendParameters layout parameters passed to the backend
 * @param source            what to copy from
 */
public record ProvisionRequest(String csiName, PoolType type, long requiredBytes, long limitBytes,
                               Optional<String> pool, Optional<MediaType> mediaType, Map<String, String> parameters,
                               Map<String, String> backendParameters, Optional<VolumeSource> source) {

    public ProvisionRequest {
        Objects.requireNonNull(csiName, "csiName");
        Objects.requireNonNull(type, "type");
        Sizes.requirePositive("requiredBytes", requiredBytes);
        if (limitBytes < 0) {
            throw new IllegalArgumentException("limitBytes < 0");
        }
        pool = pool == null ? Optional.empty() : pool;
        mediaType = mediaType == null ? Optional.empty() : mediaType;
        parameters = Map.copyOf(parameters);
        backendParameters = Map.copyOf(backendParameters);
        source = source == null ? Optional.empty() : source;
    }
}
