package io.openlocal.csi.nodeapi;

import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.nodeapi.v1.Pool;
import io.openlocal.nodeapi.v1.VolumeState;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Conversions between the node API's wire messages and the backend SPI's records. */
final class NodeApiProtos {

    private NodeApiProtos() {
    }

    static io.openlocal.nodeapi.v1.VolumeRef ref(VolumeRef ref) {
        return io.openlocal.nodeapi.v1.VolumeRef.newBuilder().setType(ref.type().volumeType()).setPool(ref.pool())
                .setName(ref.name()).build();
    }

    static VolumeRef ref(io.openlocal.nodeapi.v1.VolumeRef ref) {
        return new VolumeRef(PoolType.fromVolumeType(ref.getType()), ref.getPool(), ref.getName());
    }

    static Pool pool(PoolInfo pool) {
        return Pool.newBuilder().setName(pool.name()).setType(pool.type().volumeType())
                .setCapacity(io.openlocal.nodeapi.v1.Capacity.newBuilder()
                        .setTotalBytes(pool.capacity().totalBytes())
                        .setAllocatableBytes(pool.capacity().allocatableBytes())
                        .setAvailableBytes(pool.capacity().availableBytes()))
                .addAllDevices(pool.devices()).setMediaType(pool.mediaType().label()).setReadOnly(pool.readOnly())
                .setInUse(pool.inUse()).putAllAttributes(pool.attributes()).build();
    }

    static PoolInfo pool(Pool pool) {
        MediaType media = MediaType.fromLabel(pool.getMediaType());
        return new PoolInfo(pool.getName(), PoolType.fromVolumeType(pool.getType()),
                new Capacity(pool.getCapacity().getTotalBytes(), pool.getCapacity().getAllocatableBytes(),
                        pool.getCapacity().getAvailableBytes()),
                pool.getDevicesList(), media == null ? MediaType.UNKNOWN : media, pool.getReadOnly(), pool.getInUse(),
                pool.getAttributesMap());
    }

    static VolumeState volume(Volume volume) {
        return VolumeState.newBuilder().setRef(ref(volume.ref())).setSizeBytes(volume.sizeBytes())
                .setDevicePath(volume.devicePath().orElse("")).setOwned(volume.owned())
                .putAllAttributes(volume.attributes()).build();
    }

    static Volume volume(VolumeState state) {
        return new Volume(ref(state.getRef()), state.getSizeBytes(),
                state.getDevicePath().isEmpty() ? Optional.empty() : Optional.of(state.getDevicePath()),
                state.getOwned(), state.getAttributesMap());
    }

    static io.openlocal.nodeapi.v1.ProvisionedVolume provisioned(ProvisionedVolume volume) {
        var builder = io.openlocal.nodeapi.v1.ProvisionedVolume.newBuilder().setCsiName(volume.csiName())
                .setVolume(volume(volume.volume())).putAllParameters(volume.parameters())
                .setCreatedEpochMillis(volume.createdEpochMillis());
        volume.source().ifPresent(s -> builder.setSource(ref(s.ref())).setSourceIsSnapshot(s.snapshot()));
        return builder.build();
    }

    static ProvisionedVolume provisioned(io.openlocal.nodeapi.v1.ProvisionedVolume volume) {
        Optional<VolumeSource> source = volume.hasSource()
                ? Optional.of(new VolumeSource(ref(volume.getSource()), volume.getSourceIsSnapshot())) : Optional.empty();
        return new ProvisionedVolume(volume.getCsiName(), volume(volume.getVolume()), volume.getParametersMap(), source,
                volume.getCreatedEpochMillis());
    }

    static io.openlocal.nodeapi.v1.SnapshotRecord snapshot(SnapshotRecord record) {
        return io.openlocal.nodeapi.v1.SnapshotRecord.newBuilder().setCsiName(record.csiName()).setRef(ref(record.ref()))
                .setSource(ref(record.source())).setSizeBytes(record.sizeBytes())
                .setCreatedEpochMillis(record.createdEpochMillis()).setReadyToUse(record.readyToUse())
                .putAllParameters(record.parameters()).build();
    }

    static SnapshotRecord snapshot(io.openlocal.nodeapi.v1.SnapshotRecord record) {
        return new SnapshotRecord(record.getCsiName(), ref(record.getRef()), ref(record.getSource()),
                record.getSizeBytes(), record.getCreatedEpochMillis(), record.getReadyToUse(),
                record.getParametersMap());
    }

    static io.openlocal.nodeapi.v1.BackendStatus backend(BackendStatus status) {
        return io.openlocal.nodeapi.v1.BackendStatus.newBuilder().setType(status.type().volumeType())
                .setReady(status.health().ready()).setMessage(status.health().message())
                .addAllMissing(status.health().missing())
                .addAllCapabilities(status.capabilities().stream().map(Enum::name).sorted().toList()).build();
    }

    static BackendStatus backend(io.openlocal.nodeapi.v1.BackendStatus status) {
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        for (String name : status.getCapabilitiesList()) {
            try {
                capabilities.add(Capability.valueOf(name));
            } catch (IllegalArgumentException e) {
                // A capability a newer agent knows and this controller does not: it cannot use it anyway.
            }
        }
        return new BackendStatus(PoolType.fromVolumeType(status.getType()),
                new Health(status.getReady(), status.getMessage(), status.getMissingList()), capabilities);
    }
}
