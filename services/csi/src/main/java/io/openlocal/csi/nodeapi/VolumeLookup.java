package io.openlocal.csi.nodeapi;

import io.openlocal.backend.volume.Volume;
import java.util.Objects;
import java.util.Optional;

/** A volume as it is now, and its CSI record when it was made through CSI. */
public record VolumeLookup(Volume volume, Optional<ProvisionedVolume> record) {

    public VolumeLookup {
        Objects.requireNonNull(volume, "volume");
        record = record == null ? Optional.empty() : record;
    }
}
