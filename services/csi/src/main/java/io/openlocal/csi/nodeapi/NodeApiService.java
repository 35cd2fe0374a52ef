package io.openlocal.csi.nodeapi;

import io.grpc.stub.StreamObserver;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.nodeapi.v1.CreateSnapshotRequest;
import io.openlocal.nodeapi.v1.DeleteSnapshotRequest;
import io.openlocal.nodeapi.v1.DeleteSnapshotResponse;
import io.openlocal.nodeapi.v1.DeleteVolumeRequest;
import io.openlocal.nodeapi.v1.DeleteVolumeResponse;
import io.openlocal.nodeapi.v1.ExpandVolumeRequest;
import io.openlocal.nodeapi.v1.GetNodeStatusRequest;
import io.openlocal.nodeapi.v1.GetVolumeRequest;
import io.openlocal.nodeapi.v1.GetVolumeResponse;
import io.openlocal.nodeapi.v1.ListPoolsRequest;
import io.openlocal.nodeapi.v1.ListPoolsResponse;
import io.openlocal.nodeapi.v1.ListSnapshotsRequest;
import io.openlocal.nodeapi.v1.ListSnapshotsResponse;
import io.openlocal.nodeapi.v1.ListVolumesRequest;
import io.openlocal.nodeapi.v1.ListVolumesResponse;
import io.openlocal.nodeapi.v1.NodeStorageGrpc;
import io.openlocal.nodeapi.v1.ProvisionVolumeRequest;
import io.openlocal.nodeapi.v1.SnapshotRecord;
import io.openlocal.backend.pool.MediaType;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The agent's side of the node API: each call is done by the node's {@link NodeStorage}. */
public final class NodeApiService extends NodeStorageGrpc.NodeStorageImplBase {

    private static final Logger LOG = Logger.getLogger(NodeApiService.class.getName());

    private final NodeStorage storage;

    public NodeApiService(NodeStorage storage) {
        this.storage = storage;
    }

    private static <T> void answer(StreamObserver<T> observer, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (StorageException | OutOfRange e) {
            observer.onError(NodeApiErrors.toStatus(e));
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "node API call failed", e);
            observer.onError(NodeApiErrors.toStatus(new StorageException.Internal(e.toString(), e)));
            return;
        }
        observer.onNext(value);
        observer.onCompleted();
    }

    @Override
    public void getNodeStatus(GetNodeStatusRequest request, StreamObserver<io.openlocal.nodeapi.v1.NodeStatus> observer) {
        answer(observer, () -> {
            NodeStatus status = storage.status();
            var builder = io.openlocal.nodeapi.v1.NodeStatus.newBuilder().setNodeName(status.nodeName());
            status.backends().forEach(b -> builder.addBackends(NodeApiProtos.backend(b)));
            return builder.build();
        });
    }

    @Override
    public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> observer) {
        answer(observer, () -> {
            Optional<PoolType> type = request.getType().isEmpty() ? Optional.empty()
                    : Optional.of(PoolType.fromVolumeType(request.getType()));
            var builder = ListPoolsResponse.newBuilder();
            storage.pools(type).forEach(p -> builder.addPools(NodeApiProtos.pool(p)));
            return builder.build();
        });
    }

    @Override
    public void provisionVolume(ProvisionVolumeRequest request,
                                StreamObserver<io.openlocal.nodeapi.v1.ProvisionedVolume> observer) {
        answer(observer, () -> {
            Optional<VolumeSource> source = request.hasSource()
                    ? Optional.of(new VolumeSource(NodeApiProtos.ref(request.getSource()), request.getSourceIsSnapshot()))
                    : Optional.empty();
            Optional<MediaType> media = request.getMediaType().isEmpty() ? Optional.empty()
                    : Optional.ofNullable(MediaType.fromLabel(request.getMediaType()));
            if (!request.getMediaType().isEmpty() && media.isEmpty()) {
                throw new StorageException.InvalidArgument("mediaType: '" + request.getMediaType() + "' is not hdd or ssd");
            }
            if (request.getRequiredBytes() <= 0 || request.getLimitBytes() < 0) {
                throw new StorageException.InvalidArgument("required_bytes must be positive and limit_bytes not negative");
            }
            ProvisionRequest provision = new ProvisionRequest(request.getCsiName(),
                    PoolType.fromVolumeType(request.getType()), request.getRequiredBytes(), request.getLimitBytes(),
                    request.getPool().isEmpty() ? Optional.empty() : Optional.of(request.getPool()), media,
                    request.getParametersMap(), request.getBackendParametersMap(), source);
            return NodeApiProtos.provisioned(storage.provision(provision));
        });
    }

    @Override
    public void getVolume(GetVolumeRequest request, StreamObserver<GetVolumeResponse> observer) {
        answer(observer, () -> {
            Optional<VolumeLookup> lookup = storage.volume(NodeApiProtos.ref(request.getRef()));
            if (lookup.isEmpty()) {
                return GetVolumeResponse.newBuilder().setFound(false).build();
            }
            var builder = GetVolumeResponse.newBuilder().setFound(true)
                    .setVolume(NodeApiProtos.volume(lookup.get().volume()));
            lookup.get().record().ifPresent(r -> builder.setRecord(NodeApiProtos.provisioned(r)));
            return builder.build();
        });
    }

    @Override
    public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> observer) {
        answer(observer, () -> {
            var builder = ListVolumesResponse.newBuilder();
            storage.volumes().forEach(v -> builder.addVolumes(NodeApiProtos.provisioned(v)));
            return builder.build();
        });
    }

    @Override
    public void expandVolume(ExpandVolumeRequest request,
                             StreamObserver<io.openlocal.nodeapi.v1.ProvisionedVolume> observer) {
        answer(observer, () -> NodeApiProtos.provisioned(storage.expand(NodeApiProtos.ref(request.getRef()),
                request.getNewSizeBytes())));
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> observer) {
        answer(observer, () -> {
            storage.delete(NodeApiProtos.ref(request.getRef()));
            return DeleteVolumeResponse.getDefaultInstance();
        });
    }

    @Override
    public void createSnapshot(CreateSnapshotRequest request, StreamObserver<SnapshotRecord> observer) {
        answer(observer, () -> NodeApiProtos.snapshot(storage.snapshot(new SnapshotRequest(request.getCsiName(),
                NodeApiProtos.ref(request.getSource()), request.getSizeBytes(), request.getParametersMap()))));
    }

    @Override
    public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> observer) {
        answer(observer, () -> {
            storage.deleteSnapshot(NodeApiProtos.ref(request.getRef()));
            return DeleteSnapshotResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSnapshots(ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> observer) {
        answer(observer, () -> {
            var builder = ListSnapshotsResponse.newBuilder();
            storage.snapshots().forEach(s -> builder.addSnapshots(NodeApiProtos.snapshot(s)));
            return builder.build();
        });
    }
}
