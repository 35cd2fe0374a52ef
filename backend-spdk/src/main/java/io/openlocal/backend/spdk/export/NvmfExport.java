package io.openlocal.backend.spdk.export;

import io.openlocal.backend.volume.VolumeRef;

/**
 * A volume exported over NVMe-oF/TCP: what a host needs to connect ({@code nvme connect -t tcp -a address
 * -s port -n nqn --hostnqn hostNqn}) and to find the namespace afterwards (by its UUID).
 */
public record NvmfExport(VolumeRef volume, String nqn, String address, String adrfam, int port, String hostNqn,
                         int nsid, String namespaceUuid) {
}
