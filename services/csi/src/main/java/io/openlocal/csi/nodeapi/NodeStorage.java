package io.openlocal.csi.nodeapi;

import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;
import java.util.List;
import java.util.Optional;

/**
 * The node API: the storage work the CSI controller asks of one node. {@link LocalNodeStorage} does it with the
 * node's backends (the agent, and standalone mode in process); {@link RemoteNodeStorage} asks an agent over
 * gRPC with mutual TLS. Errors are {@link io.openlocal.backend.error.StorageException}s on both sides.
 */
public interface NodeStorage {

    /** The node's name. */
    String nodeName();

    /** Each backend's health and capabilities. */
    NodeStatus status();

    /** Pools of one type, or of every type when empty. */
    List<PoolInfo> pools(Optional<PoolType> type);

    /**
     * Creates the volume for a CSI name, or returns the one made for it before when the request is the same.
     *
     * @throws io.openlocal.backend.error.StorageException.AlreadyExists the name is taken by a different request
     * @throws io.openlocal.backend.error.StorageException.OutOfCapacity no pool can take it
     */
    ProvisionedVolume provision(ProvisionRequest request);

    /** The volume and its CSI record, if the volume exists. */
    Optional<VolumeLookup> volume(VolumeRef ref);

    /** Every volume made through CSI on this node. */
    List<ProvisionedVolume> volumes();

    /** Grows a volume to at least {@code newSizeBytes}. */
    ProvisionedVolume expand(VolumeRef ref, long newSizeBytes);

    /** Deletes a volume and its record; absent is success. */
    void delete(VolumeRef ref);

    /** Takes a snapshot, or returns the one taken for the same name and source before. */
    SnapshotRecord snapshot(SnapshotRequest request);

    /** Deletes a snapshot and its record; absent is success. */
    void deleteSnapshot(VolumeRef ref);

    /** Every snapshot taken through CSI on this node. */
    List<SnapshotRecord> snapshots();
}
