package io.openlocal.scheduling.ledger;

import io.openlocal.backend.error.StorageException;
import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.placement.Assignment;
import io.openlocal.scheduling.placement.PlacementResult;
import io.openlocal.scheduling.placement.Placer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What has been set aside on every node: promises made to pods before their volumes exist, and volumes that
 * exist (confirmed). The next pod's filter sees both as used, so two pods are never promised the same bytes or
 * the same disk.
 *
 * <p>Concurrency: each node has its own lock and an immutable {@link NodeState} published through a volatile
 * field. Readers (filter, prioritize) never lock. A change locks only the node it touches, and never two nodes
 * at once. A claim is held by at most one node: {@code owners} maps claim → node and is changed only under the
 * lock of the node named, together with that node's state, so "owner is N" holds exactly when N's state has the
 * claim (two nodes racing for one claim: {@code putIfAbsent} lets one win, the other backs out).
 *
 * <p>Nothing here is durable on its own: after a restart the extender rebuilds the ledger from the API server
 * (PVs are confirmed allocations, pending PVCs carrying kube-scheduler's selected-node annotation are promises).
 */
public final class AllocationLedger {

    private final ConcurrentHashMap<String, NodeSlot> nodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> owners = new ConcurrentHashMap<>();
    private final Placer placer;
    private final LongSupplier clockMillis;

    public AllocationLedger(Placer placer, LongSupplier clockMillis) {
        this.placer = Objects.requireNonNull(placer, "placer");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    }

    public AllocationLedger(Placer placer) {
        this(placer, System::currentTimeMillis);
    }

    public Placer placer() {
        return placer;
    }

    /** The node's current state (no lock), or null when the node has neither an NLS nor allocations. */
    public NodeState state(String nodeName) {
        NodeSlot slot = nodes.get(nodeName);
        return slot == null ? null : slot.state;
    }

    /** Every node's current state (a weakly consistent view, for dumps, metrics and checks). */
    public List<NodeState> states() {
        List<NodeState> all = new ArrayList<>(nodes.size());
        for (NodeSlot slot : nodes.values()) {
            all.add(slot.state);
        }
        return all;
    }

    /** The node a claim is promised to or provisioned on, or null. */
    public String ownerOf(String claimKey) {
        return owners.get(claimKey);
    }

    /** The claim's allocation, or null. */
    public Allocation allocation(String claimKey) {
        for (int attempt = 0; attempt < 4; attempt++) {
            String owner = owners.get(claimKey);
            if (owner == null) {
                return null;
            }
            NodeState state = state(owner);
            Allocation a = state == null ? null : state.allocation(claimKey);
            if (a != null) {
                return a;
            }
        }
        return null; // moving between nodes right now
    }

    /** Sets what a node offers (from its NLS status); allocations stay. */
    public void putCapacity(NodeCapacity capacity) {
        NodeSlot slot = lock(capacity.nodeName(), true);
        try {
            slot.state = slot.state.withCapacity(capacity);
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Forgets what a node offers (its NLS is gone): no new claims fit there. Allocations stay, because their
     * volumes may still exist; the node is forgotten once the last of them is released.
     */
    public void removeCapacity(String nodeName) {
        NodeSlot slot = lock(nodeName, false);
        if (slot == null) {
            return;
        }
        try {
            slot.state = slot.state.withCapacity(null);
            dropIfEmpty(nodeName, slot);
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Promises room on {@code nodeName} for all of the pod's claims, placed as {@link Placer} places them;
     * claims already set aside on that node are kept as they are (so this is idempotent). All or nothing.
     *
     * @return the pod's allocations on the node, one per claim
     * @throws StorageException.AlreadyExists a claim is already promised to or provisioned on another node
     * @throws StorageException.OutOfCapacity the claims do not fit (message says which and why)
     * @throws StorageException.NotFound      the node has no NodeLocalStorage
     */
    public List<Allocation> reserve(PodRequest pod, String nodeName, long ttlMillis) {
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttlMillis must be positive");
        }
        for (ClaimRequest c : pod.claims()) {
            requireNotElsewhere(c.key(), nodeName);
        }
        NodeSlot slot = lock(nodeName, false);
        if (slot == null) {
            throw new StorageException.NotFound("node " + nodeName + " has no NodeLocalStorage status");
        }
        try {
            NodeState state = slot.state;
            if (!state.hasCapacity()) {
                throw new StorageException.NotFound("node " + nodeName + " has no NodeLocalStorage status");
            }
            PlacementResult result = placer.place(pod, state);
            if (result instanceof PlacementResult.DoesNotFit miss) {
                throw new StorageException.OutOfCapacity("node " + nodeName + ": " + miss.reason());
            }
            long expires = clockMillis.getAsLong() + ttlMillis;
            List<Allocation> added = new ArrayList<>();
            List<Allocation> answer = new ArrayList<>();
            for (Assignment a : ((PlacementResult.Fits) result).assignments()) {
                Allocation existing = state.allocation(a.claim().key());
                if (existing != null) {
                    answer.add(existing);
                    continue;
                }
                Allocation fresh = new Allocation(a.claim().key(), pod.podKey(), nodeName, a.claim().kind(),
                        a.poolName(), a.claim().sizeBytes(), a.allocatedBytes(), Allocation.Status.PROMISED, "",
                        expires);
                added.add(fresh);
                answer.add(fresh);
            }
            List<String> claimed = new ArrayList<>(added.size());
            for (Allocation a : added) {
                String previous = owners.putIfAbsent(a.claimKey(), nodeName);
                if (previous != null && !previous.equals(nodeName)) {
                    for (String key : claimed) {
                        owners.remove(key, nodeName);
                    }
                    throw new StorageException.AlreadyExists("claim " + a.claimKey() + " is already promised to node "
                            + previous);
                }
                claimed.add(a.claimKey());
            }
            slot.state = state.withAllocations(added);
            return answer;
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Records a provisioned volume (the API server's truth): replaces any promise for the claim, on whatever
     * node it was, and is recorded even if the node looks full. A promise of another claim on the disk this
     * volume's PV names (a device or mount point) gives way: the disk is taken, and that promise was made without
     * knowing it (an extender restarted after the allocation that chose the disk, before its PV existed).
     *
     * @return the claims whose promises gave way; the caller promises them again elsewhere on the node, or not
     */
    public List<String> confirm(Allocation volume) {
        if (volume.status() != Allocation.Status.CONFIRMED) {
            throw new IllegalArgumentException("confirm() takes a CONFIRMED allocation");
        }
        for (int attempt = 0; attempt < 16; attempt++) {
            String owner = owners.get(volume.claimKey());
            if (owner != null && !owner.equals(volume.nodeName())) {
                releaseFrom(owner, volume.claimKey(), a -> true);
                continue;
            }
            NodeSlot slot = lock(volume.nodeName(), true);
            try {
                String previous = owners.putIfAbsent(volume.claimKey(), volume.nodeName());
                if (previous != null && !previous.equals(volume.nodeName())) {
                    continue;
                }
                Allocation before = slot.state.allocation(volume.claimKey());
                Allocation recorded = before == null || volume.podKey().length() > 0 ? volume
                        : new Allocation(volume.claimKey(), before.podKey(), volume.nodeName(), volume.kind(),
                                volume.poolName(), volume.requestedBytes(), volume.allocatedBytes(),
                                Allocation.Status.CONFIRMED, volume.volumeName(), 0);
                List<String> displaced = new ArrayList<>();
                if (volume.kind() == VolumeKind.DEVICE || volume.kind() == VolumeKind.MOUNT_POINT) {
                    for (Allocation other : slot.state.allocations().values()) {
                        if (other.promised() && other.kind() == volume.kind()
                                && other.poolName().equals(volume.poolName())
                                && !other.claimKey().equals(volume.claimKey())) {
                            displaced.add(other.claimKey());
                        }
                    }
                }
                slot.state = slot.state.without(displaced).withAllocations(List.of(recorded));
                for (String key : displaced) {
                    owners.remove(key, volume.nodeName());
                }
                return displaced;
            } finally {
                slot.lock.unlock();
            }
        }
        throw new StorageException.Busy("claim " + volume.claimKey() + " keeps moving between nodes; retry");
    }

    /** Drops the claim's allocation, promised or confirmed. */
    public boolean release(String claimKey) {
        return releaseWhere(claimKey, a -> true);
    }

    /** Drops the claim's allocation only if it is still a promise (its PV, if any, keeps a confirmed one). */
    public boolean releasePromise(String claimKey) {
        return releaseWhere(claimKey, Allocation::promised);
    }

    /** Drops the claim's confirmed allocation if it belongs to volume {@code volumeName}. */
    public boolean releaseVolume(String claimKey, String volumeName) {
        return releaseWhere(claimKey, a -> !a.promised() && a.volumeName().equals(volumeName));
    }

    /**
     * Lapses promises whose deadline has passed, unless {@code stillWanted} says the claim still needs it (then
     * the deadline moves on by {@code ttlMillis}).
     *
     * @return how many promises were dropped
     */
    public int expirePromises(Predicate<Allocation> stillWanted, long ttlMillis) {
        long now = clockMillis.getAsLong();
        int dropped = 0;
        for (NodeSlot slot : nodes.values()) {
            boolean due = false;
            for (Allocation a : slot.state.allocations().values()) {
                due |= a.promised() && a.expiresAtMillis() <= now;
            }
            if (!due) {
                continue;
            }
            slot.lock.lock();
            try {
                if (nodes.get(slot.state.nodeName()) != slot) {
                    continue; // forgotten meanwhile (it held nothing)
                }
                List<String> drop = new ArrayList<>();
                List<Allocation> renew = new ArrayList<>();
                for (Allocation a : slot.state.allocations().values()) {
                    if (a.promised() && a.expiresAtMillis() <= now) {
                        if (stillWanted.test(a)) {
                            renew.add(a.renewedUntil(now + ttlMillis));
                        } else {
                            drop.add(a.claimKey());
                        }
                    }
                }
                slot.state = slot.state.without(drop).withAllocations(renew);
                for (String key : drop) {
                    owners.remove(key, slot.state.nodeName());
                }
                dropped += drop.size();
                dropIfEmpty(slot.state.nodeName(), slot);
            } finally {
                slot.lock.unlock();
            }
        }
        return dropped;
    }

    /** Counts of allocations by status, for metrics. */
    public Map<Allocation.Status, Integer> counts() {
        int promised = 0;
        int confirmed = 0;
        for (NodeSlot slot : nodes.values()) {
            for (Allocation a : slot.state.allocations().values()) {
                if (a.promised()) {
                    promised++;
                } else {
                    confirmed++;
                }
            }
        }
        return Map.of(Allocation.Status.PROMISED, promised, Allocation.Status.CONFIRMED, confirmed);
    }

    private boolean releaseWhere(String claimKey, Predicate<Allocation> which) {
        for (int attempt = 0; attempt < 16; attempt++) {
            String owner = owners.get(claimKey);
            if (owner == null) {
                return false;
            }
            Boolean done = releaseFrom(owner, claimKey, which);
            if (done != null) {
                return done;
            }
        }
        return false;
    }

    /** @return true if dropped, false if present but not matching, null if the owner changed meanwhile */
    private Boolean releaseFrom(String owner, String claimKey, Predicate<Allocation> which) {
        NodeSlot slot = lock(owner, false);
        if (slot == null) {
            owners.remove(claimKey, owner);
            return null;
        }
        try {
            Allocation a = slot.state.allocation(claimKey);
            if (a == null) {
                String now = owners.get(claimKey);
                return now != null && !now.equals(owner) ? null : Boolean.FALSE;
            }
            if (!which.test(a)) {
                return Boolean.FALSE;
            }
            slot.state = slot.state.without(List.of(claimKey));
            owners.remove(claimKey, owner);
            dropIfEmpty(owner, slot);
            return Boolean.TRUE;
        } finally {
            slot.lock.unlock();
        }
    }

    private void requireNotElsewhere(String claimKey, String nodeName) {
        String owner = owners.get(claimKey);
        if (owner != null && !owner.equals(nodeName)) {
            throw new StorageException.AlreadyExists("claim " + claimKey + " is already promised to node " + owner);
        }
    }

    /**
     * Locks the node's slot, creating it if asked; null when absent and not created. Loops past a slot that
     * {@link #dropIfEmpty} removed between lookup and lock, so no change is made to a detached slot.
     */
    private NodeSlot lock(String nodeName, boolean create) {
        while (true) {
            NodeSlot slot = create ? nodes.computeIfAbsent(nodeName, NodeSlot::new) : nodes.get(nodeName);
            if (slot == null) {
                return null;
            }
            slot.lock.lock();
            if (nodes.get(nodeName) == slot) {
                return slot;
            }
            slot.lock.unlock();
        }
    }

    /**
     * With the slot locked: forgets a node that offers nothing (no NLS) and holds nothing, so the ledger does not
     * keep a slot for every node that ever left the cluster. {@link #lock} skips a slot removed this way.
     */
    private void dropIfEmpty(String nodeName, NodeSlot slot) {
        if (slot.state.allocations().isEmpty() && !slot.state.hasCapacity()) {
            nodes.remove(nodeName, slot);
        }
    }

    /** Total count of nodes tracked. */
    public int nodeCount() {
        return nodes.size();
    }

    /** All claim keys currently held, for checks. */
    public Collection<String> claimKeys() {
        return List.copyOf(owners.keySet());
    }

    private static final class NodeSlot {
        final ReentrantLock lock = new ReentrantLock();
        volatile NodeState state;

        NodeSlot(String nodeName) {
            this.state = NodeState.unknown(nodeName);
        }
    }
}
