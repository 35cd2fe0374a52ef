package io.openlocal.csi;

import io.openlocal.csi.v1.Topology;
import io.openlocal.csi.v1.TopologyRequirement;
import io.openlocal.csi.v1.VolumeCapability;

/** Parts of CSI requests as external-provisioner sends them, for tests. */
public final class Requests {

    /** A single-node-writer ext4 mount. */
    public static final VolumeCapability MOUNT_EXT4 = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
            .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)).build();

    private Requests() {
    }

    /** The topology of a WaitForFirstConsumer claim whose pod the scheduler put on {@code node}. */
    public static TopologyRequirement onNode(String node) {
        Topology topology = Topology.newBuilder().putSegments("kubernetes.io/hostname", node).build();
        return TopologyRequirement.newBuilder().addRequisite(topology).addPreferred(topology).build();
    }
}
