package io.openlocal.kube.crd;

import java.util.List;

/** What the agent must create on the node (NLS {@code spec.resourceToBeInited}). */
public record ResourceToBeInited(List<VgToInit> vgs, List<MountPointToInit> mountpoints, List<LvstoreToInit> lvstores) {

    public ResourceToBeInited {
        vgs = vgs == null ? List.of() : List.copyOf(vgs);
        mountpoints = mountpoints == null ? List.of() : List.copyOf(mountpoints);
        lvstores = lvstores == null ? List.of() : List.copyOf(lvstores);
    }

    /** A volume group to create from devices (whole disks or partitions). */
    public record VgToInit(String name, List<String> devices) {
        public VgToInit {
            devices = devices == null ? List.of() : List.copyOf(devices);
        }
    }

    /** A filesystem to make on a device and mount at a path. */
    public record MountPointToInit(String path, String device, String fsType, List<String> options) {
        public MountPointToInit {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /**
     * An SPDK lvstore to create on a base bdev (ours; Open-Local hands every disk to SPDK instead).
     *
     * @param name           the lvstore name
     * @param device         the base device, in the SPDK backend's syntax (block device path or NVMe PCI address)
     * @param clusterSize    optional cluster size as a quantity (for example {@code 4Mi})
     */
    public record LvstoreToInit(String name, String device, String clusterSize) {
    }
}
