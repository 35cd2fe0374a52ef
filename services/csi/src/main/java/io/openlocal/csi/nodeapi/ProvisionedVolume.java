package io.openlocal.csi.nodeapi;

import io.openlocal.backend.volume.Volume;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A volume made through CSI, with what it was made from.
 *
 * @param csiName            the CO's name
 * @param volume             the backend's view now
 * @param parameters         the request's identifying parameters
 * @param source             what it was copied from
 * @param createdEpochMillis when it was made
 */
public record ProvisionedVolume(String csiName, Volume volume, Map<String, String> parameters,
                                Optional<VolumeSource> source, long createdEpochMillis) {

    public ProvisionedVolume {
        Objects.requireNonNull(csiName, "csiName");
        Objects.requireNonNull(volume, "volume");
        parameters = Map.copyOf(parameters);
        source = source == null ? Optional.empty() : source;
    }
}
