package io.openlocal.scheduling.node;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a node offers Open-Local, as its NodeLocalStorage status reports it after the listConfig filter: the
 * allowed VGs and SPDK lvstores, and the allowed devices and mount points.
 */
public record NodeCapacity(String nodeName, List<SharedPool> volumeGroups, List<SharedPool> spdkStores,
                           List<ExclusiveDisk> devices, List<ExclusiveDisk> mountPoints) {

    public NodeCapacity {
        Objects.requireNonNull(nodeName, "nodeName");
        volumeGroups = List.copyOf(volumeGroups);
        spdkStores = List.copyOf(spdkStores);
        devices = List.copyOf(devices);
        mountPoints = List.copyOf(mountPoints);
        requireUnique(nodeName, "volume group", volumeGroups.stream().map(SharedPool::name).toList());
        requireUnique(nodeName, "SPDK lvstore", spdkStores.stream().map(SharedPool::name).toList());
        requireUnique(nodeName, "device", devices.stream().map(ExclusiveDisk::name).toList());
        requireUnique(nodeName, "mount point", mountPoints.stream().map(ExclusiveDisk::name).toList());
    }

    /** A node that offers nothing (an NLS whose agent has not reported yet). */
    public static NodeCapacity empty(String nodeName) {
        return new NodeCapacity(nodeName, List.of(), List.of(), List.of(), List.of());
    }

    /** The pools of a shared kind: VGs for LVM, lvstores for SPDK. */
    public List<SharedPool> pools(boolean spdk) {
        return spdk ? spdkStores : volumeGroups;
    }

    /** The disks of an exclusive kind: devices or mount points. */
    public List<ExclusiveDisk> disks(boolean mountPoints) {
        return mountPoints ? this.mountPoints : devices;
    }

    private static void requireUnique(String node, String what, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("node " + node + ": " + what + " " + name + " is listed twice");
            }
        }
    }
}
