package io.openlocal.agent.discovery;

import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One discovery pass over the node: what each backend reported, sorted by name, and which backends failed.
 *
 * @param devices      whole disks and partitions (Device backend)
 * @param volumeGroups VGs with their LVs (LVM backend)
 * @param mountPoints  mounted filesystems offered as pools (MountPoint backend)
 * @param spdkStores   SPDK lvstores (SPDK backend, SPDK nodes only)
 * @param failures     per pool type whose backend failed this pass, why; its lists above are empty
 */
public record NodeInventory(List<PoolInfo> devices, List<VolumeGroupInventory> volumeGroups,
                            List<PoolInfo> mountPoints, List<PoolInfo> spdkStores, Map<PoolType, String> failures) {

    public NodeInventory {
        devices = List.copyOf(devices);
        volumeGroups = List.copyOf(volumeGroups);
        mountPoints = List.copyOf(mountPoints);
        spdkStores = List.copyOf(spdkStores);
        failures = Map.copyOf(failures);
    }

    /** A VG and its logical volumes. */
    public record VolumeGroupInventory(PoolInfo pool, List<Volume> volumes) {
        public VolumeGroupInventory {
            volumes = List.copyOf(volumes);
        }
    }

    /** Whether the backend of that type answered in this pass (or was not used). */
    public boolean answered(PoolType type) {
        return !failures.containsKey(type);
    }

    public Optional<VolumeGroupInventory> volumeGroup(String name) {
        return volumeGroups.stream().filter(v -> v.pool().name().equals(name)).findFirst();
    }

    public Optional<PoolInfo> mountPoint(String path) {
        return mountPoints.stream().filter(p -> p.name().equals(path)).findFirst();
    }

    public Optional<PoolInfo> spdkStore(String name) {
        return spdkStores.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
