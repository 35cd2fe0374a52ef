package io.openlocal.backend;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.backend.volume.VolumeUsage;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of local storage on one node. Implementations are found by {@link BackendRegistry}.
 *
 * <h2>Contract every implementation keeps</h2>
 * <ul>
 *   <li><b>Idempotent.</b> Every call may be repeated after a timeout or crash. Creating a volume that exists
 *       with the same size (after rounding), layout and source returns it; with anything different it throws
 *       {@link StorageException.AlreadyExists}. Deleting what is absent succeeds. Expanding to a size the
 *       volume already has succeeds. Initialising a pool that exists from the same devices returns it.</li>
 *   <li><b>Ownership.</b> Only what this system made (name prefix, tag, claim record) is changed. Foreign
 *       volumes are reported with {@code owned=false}; changing or deleting one throws
 *       {@link StorageException.InvalidArgument}. Devices holding data this system did not put there are never
 *       wiped.</li>
 *   <li><b>Validation first.</b> Names, sizes and parameters are checked before any command runs, so a
 *       rejected request changes nothing on disk.</li>
 *   <li><b>Typed errors.</b> Only {@link StorageException} subclasses escape; messages name the field or the
 *       object, and carry the tool's stderr where a tool failed.</li>
 *   <li><b>Thread-safe.</b> Calls may come from many threads; a backend serialises what must be serialised
 *       (capacity checks and creation on one pool) and nothing more.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** The kind of pool this backend serves. */
    PoolType type();

    /** Optional operations this backend offers on this node (may depend on the kernel). */
    Set<Capability> capabilities();

    /** Whether the backend can work here, and what this node lacks. Never throws. */
    Health health();

    /** One discovery pass: every pool this backend sees on the node, owned or not. */
    List<PoolInfo> pools();

    /** The pool of that name, if it exists. */
    default Optional<PoolInfo> pool(String name) {
        return pools().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Creates a pool (VG, lvstore, filesystem for a mount point) from devices, or returns it when it already
     * exists as asked. Refuses devices that hold a partition table, a filesystem or are mounted, unless
     * {@link PoolSpec#force()}.
     */
    PoolInfo initPool(PoolSpec spec);

    /** Every volume in a pool, owned or not. Throws NotFound for an unknown pool. */
    List<Volume> volumes(String pool);

    /** The volume, if it exists. */
    Optional<Volume> volume(VolumeRef ref);

    /** Creates a volume (see the idempotency rule above). */
    Volume createVolume(VolumeSpec spec);

    /** Grows a volume to at least {@code newSizeBytes}; shrinking is refused with InvalidArgument. */
    default Volume expandVolume(VolumeRef ref, long newSizeBytes) {
        throw new StorageException.Unsupported(type().volumeType() + " volumes cannot be expanded");
    }

    /** Deletes a volume this system owns; absent is success. */
    void deleteVolume(VolumeRef ref);

    /** Takes a snapshot of a volume. */
    default Snapshot createSnapshot(SnapshotSpec spec) {
        throw new StorageException.Unsupported(type().volumeType() + " volumes do not support snapshots");
    }

    /** Deletes a snapshot; absent is success. */
    default void deleteSnapshot(VolumeRef snapshot) {
        throw new StorageException.Unsupported(type().volumeType() + " volumes do not support snapshots");
    }

    /** Snapshots in a pool. */
    default List<Snapshot> snapshots(String pool) {
        return List.of();
    }

    /**
     * With {@link Capability#ATTACH}: makes the volume a kernel block device on this node (export, connect) and
     * returns the device's path. Idempotent: an attached volume only has its device looked up.
     */
    default String attach(VolumeRef ref) {
        throw new StorageException.Unsupported(type().volumeType() + " volumes are block devices already; "
                + "there is nothing to attach");
    }

    /** With {@link Capability#ATTACH}: undoes {@link #attach}; a volume not attached is success. */
    default void detach(VolumeRef ref) {
        throw new StorageException.Unsupported(type().volumeType() + " volumes are block devices already; "
                + "there is nothing to detach");
    }

    /** With {@link Capability#ATTACH}: the block device of an attached volume, without attaching it. */
    default Optional<String> attachedDevice(VolumeRef ref) {
        return Optional.empty();
    }

    /** Block-level use of a volume. */
    VolumeUsage usage(VolumeRef ref);

    /** Releases sockets, caches and threads. */
    @Override
    default void close() {
    }
}
