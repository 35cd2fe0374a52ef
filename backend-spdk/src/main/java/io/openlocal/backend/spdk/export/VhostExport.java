package io.openlocal.backend.spdk.export;

import io.openlocal.backend.volume.VolumeRef;
import java.nio.file.Path;

/** A volume exported as a vhost-user-blk controller: the socket a VM runtime (QEMU, Kata) connects to. */
public record VhostExport(VolumeRef volume, String controller, Path socket) {
}
