package io.openlocal.scheduling.ledger;

import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as the scheduler sees it at one instant: what its NodeLocalStorage offers and what the ledger has
 * already set aside there. Immutable; the ledger publishes a new one on every change, so readers (filter,
 * prioritize) never lock.
 */
public final class NodeState {

    private final String nodeName;
    private final NodeCapacity capacity;
    private final Map<String, Allocation> allocations;
    private final long[] vgUsed;
    private final long[] spdkUsed;
    private final String[] deviceHolder;
    private final String[] mountHolder;
    private final long unplacedBytes;
    private final int[] deviceOrder;
    private final int[] mountOrder;

    private NodeState(String nodeName, NodeCapacity capacity, Map<String, Allocation> allocations) {
        this.nodeName = nodeName;
        this.capacity = capacity;
        this.allocations = allocations;
        NodeCapacity c = capacity == null ? NodeCapacity.empty(nodeName) : capacity;
        vgUsed = new long[c.volumeGroups().size()];
        spdkUsed = new long[c.spdkStores().size()];
        deviceHolder = new String[c.devices().size()];
        mountHolder = new String[c.mountPoints().size()];
        long unplaced = 0;
        for (Allocation a : allocations.values()) {
            boolean placed = switch (a.kind()) {
                case LVM -> add(vgUsed, poolIndex(c.volumeGroups(), a.poolName()), a.allocatedBytes());
                case SPDK -> add(spdkUsed, poolIndex(c.spdkStores(), a.poolName()), a.allocatedBytes());
                case DEVICE -> hold(deviceHolder, diskIndex(c.devices(), a.poolName()), a.claimKey());
                case MOUNT_POINT -> hold(mountHolder, diskIndex(c.mountPoints(), a.poolName()), a.claimKey());
            };
            if (!placed) {
                unplaced += a.allocatedBytes(); // its pool is not (or no longer) in the NLS: shown in dumps only
            }
        }
        unplacedBytes = unplaced;
        deviceOrder = bySize(c.devices());
        mountOrder = bySize(c.mountPoints());
    }

    /** A node known only by name: no NodeLocalStorage seen yet, nothing allocated. */
    public static NodeState unknown(String nodeName) {
        return new NodeState(nodeName, null, Map.of());
    }

    public String nodeName() {
        return nodeName;
    }

    /** What the node's NLS offers, or null when no NLS (status) has been seen for it. */
    public NodeCapacity capacity() {
        return capacity;
    }

    public boolean hasCapacity() {
        return capacity != null;
    }

    /** Allocations on this node by claim key (unmodifiable). */
    public Map<String, Allocation> allocations() {
        return allocations;
    }

    public Allocation allocation(String claimKey) {
        return allocations.get(claimKey);
    }

    /** Bytes already set aside in pool {@code index} of the VG list (or lvstore list when {@code spdk}). */
    public long usedBytes(boolean spdk, int index) {
        return (spdk ? spdkUsed : vgUsed)[index];
    }

    /** The claim holding disk {@code index} of the device list (or mount point list), or null when free. */
    public String diskHolder(boolean mountPoints, int index) {
        return (mountPoints ? mountHolder : deviceHolder)[index];
    }

    /**
     * Indexes into the device list (or mount point list) by capacity, smallest first; equal sizes keep the NLS
     * order. Shared, do not modify.
     */
    public int[] disksBySize(boolean mountPoints) {
        return mountPoints ? mountOrder : deviceOrder;
    }

    /** Bytes of allocations whose pool or disk the NLS does not list (for operators' dumps). */
    public long unplacedBytes() {
        return unplacedBytes;
    }

    NodeState withCapacity(NodeCapacity newCapacity) {
        return new NodeState(nodeName, newCapacity, allocations);
    }

    NodeState withAllocations(Collection<Allocation> added) {
        if (added.isEmpty()) {
            return this;
        }
        Map<String, Allocation> copy = new HashMap<>(allocations);
        for (Allocation a : added) {
            copy.put(a.claimKey(), a);
        }
        return new NodeState(nodeName, capacity, Collections.unmodifiableMap(copy));
    }

    NodeState without(Collection<String> claimKeys) {
        Map<String, Allocation> copy = new HashMap<>(allocations);
        boolean changed = false;
        for (String key : claimKeys) {
            changed |= copy.remove(key) != null;
        }
        return changed ? new NodeState(nodeName, capacity, Collections.unmodifiableMap(copy)) : this;
    }

    static int poolIndex(List<SharedPool> pools, String name) {
        for (int i = 0; i < pools.size(); i++) {
            if (pools.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static int diskIndex(List<ExclusiveDisk> disks, String name) {
        for (int i = 0; i < disks.size(); i++) {
            if (disks.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int[] bySize(List<ExclusiveDisk> disks) {
        int n = disks.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 1; i < n; i++) { // insertion sort, stable: a node has a handful of disks
            int v = order[i];
            long size = disks.get(v).capacityBytes();
            int j = i - 1;
            while (j >= 0 && disks.get(order[j]).capacityBytes() > size) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
        return order;
    }

    private static boolean add(long[] used, int index, long bytes) {
        if (index < 0) {
            return false;
        }
        used[index] += bytes;
        return true;
    }

    private static boolean hold(String[] holders, int index, String claimKey) {
        if (index < 0) {
            return false;
        }
        // Two holders can only come from two PVs naming the same disk (the API's truth); keep the first and let
        // the overcommit check in dumps/metrics show it.
        if (holders[index] == null) {
            holders[index] = claimKey;
        }
        return true;
    }
}
