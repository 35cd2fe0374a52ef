package io.openlocal.agent.discovery;

import io.openlocal.agent.backend.NodeBackends;
import io.openlocal.agent.discovery.NodeInventory.VolumeGroupInventory;
import io.openlocal.backend.Backend;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One discovery pass through the node's backends. The LVM backend answers its pools and volumes from one
 * cached {@code lvm fullreport}, so a pass costs one lvm process however many VGs there are.
 */
public final class InventoryScanner {

    private final NodeBackends backends;

    public InventoryScanner(NodeBackends backends) {
        this.backends = backends;
    }

    public NodeInventory scan() {
        Map<PoolType, String> failures = new EnumMap<>(PoolType.class);
        List<PoolInfo> devices = pools(PoolType.DEVICE, failures);
        List<PoolInfo> mountPoints = pools(PoolType.MOUNT_POINT, failures);
        List<PoolInfo> spdk = pools(PoolType.SPDK, failures);
        List<VolumeGroupInventory> vgs = new ArrayList<>();
        Optional<Backend> lvm = backends.get(PoolType.LVM);
        if (lvm.isPresent()) {
            try {
                for (PoolInfo vg : sorted(lvm.get().pools())) {
                    List<Volume> lvs = new ArrayList<>(lvm.get().volumes(vg.name()));
                    lvs.sort(Comparator.comparing(v -> v.ref().name()));
                    vgs.add(new VolumeGroupInventory(vg, lvs));
                }
            } catch (RuntimeException e) {
                failures.put(PoolType.LVM, describe(e));
                vgs.clear();
            }
        } else {
            backends.problem(PoolType.LVM).ifPresent(p -> failures.put(PoolType.LVM, p));
        }
        return new NodeInventory(devices, vgs, mountPoints, spdk, failures);
    }

    private List<PoolInfo> pools(PoolType type, Map<PoolType, String> failures) {
        Optional<Backend> backend = backends.get(type);
        if (backend.isEmpty()) {
            backends.problem(type).ifPresent(p -> failures.put(type, p));
            return List.of();
        }
        try {
            return sorted(backend.get().pools());
        } catch (RuntimeException e) {
            failures.put(type, describe(e));
            return List.of();
        }
    }

    /** Backends throw only StorageException; anything else is a bug, reported with its class. */
    private static String describe(RuntimeException e) {
        return e instanceof StorageException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static List<PoolInfo> sorted(List<PoolInfo> pools) {
        List<PoolInfo> copy = new ArrayList<>(pools);
        copy.sort(Comparator.comparing(PoolInfo::name));
        return copy;
    }
}
