package io.openlocal.csi.nodeapi;

import io.openlocal.backend.volume.VolumeRef;
import java.util.Objects;

/** What a new volume is copied from: a snapshot or another volume, on the same node. */
public record VolumeSource(VolumeRef ref, boolean snapshot) {

    public VolumeSource {
        Objects.requireNonNull(ref, "ref");
    }
}
