package io.openlocal.csi.controller;

import com.google.protobuf.Int64Value;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.openlocal.backend.Capability;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.CsiSettings;
import io.openlocal.csi.grpc.Calls;
import io.openlocal.csi.grpc.Errors;
import io.openlocal.csi.nodeapi.NodeDirectory;
import io.openlocal.csi.nodeapi.NodeStorage;
import io.openlocal.csi.nodeapi.ProvisionRequest;
import io.openlocal.csi.nodeapi.ProvisionedVolume;
import io.openlocal.csi.nodeapi.SnapshotRecord;
import io.openlocal.csi.nodeapi.SnapshotRequest;
import io.openlocal.csi.nodeapi.VolumeLookup;
import io.openlocal.csi.nodeapi.VolumeSource;
import io.openlocal.csi.v1.ControllerExpandVolumeRequest;
import io.openlocal.csi.v1.ControllerExpandVolumeResponse;
import io.openlocal.csi.v1.ControllerGetCapabilitiesRequest;
import io.openlocal.csi.v1.ControllerGetCapabilitiesResponse;
import io.openlocal.csi.v1.ControllerGetVolumeRequest;
import io.openlocal.csi.v1.ControllerGetVolumeResponse;
import io.openlocal.csi.v1.ControllerGrpc;
import io.openlocal.csi.v1.ControllerModifyVolumeRequest;
import io.openlocal.csi.v1.ControllerModifyVolumeResponse;
import io.openlocal.csi.v1.ControllerPublishVolumeRequest;
import io.openlocal.csi.v1.ControllerPublishVolumeResponse;
import io.openlocal.csi.v1.ControllerServiceCapability;
import io.openlocal.csi.v1.ControllerServiceCapability.RPC.Type;
import io.openlocal.csi.v1.ControllerUnpublishVolumeRequest;
import io.openlocal.csi.v1.ControllerUnpublishVolumeResponse;
import io.openlocal.csi.v1.CreateSnapshotRequest;
import io.openlocal.csi.v1.CreateSnapshotResponse;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.CreateVolumeResponse;
import io.openlocal.csi.v1.DeleteSnapshotRequest;
import io.openlocal.csi.v1.DeleteSnapshotResponse;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeResponse;
import io.openlocal.csi.v1.GetCapacityRequest;
import io.openlocal.csi.v1.GetCapacityResponse;
import io.openlocal.csi.v1.GetSnapshotRequest;
import io.openlocal.csi.v1.GetSnapshotResponse;
import io.openlocal.csi.v1.ListSnapshotsRequest;
import io.openlocal.csi.v1.ListSnapshotsResponse;
import io.openlocal.csi.v1.ListVolumesRequest;
import io.openlocal.csi.v1.ListVolumesResponse;
import io.openlocal.csi.v1.Snapshot;
import io.openlocal.csi.v1.Topology;
import io.openlocal.csi.v1.ValidateVolumeCapabilitiesRequest;
import io.openlocal.csi.v1.ValidateVolumeCapabilitiesResponse;
import io.openlocal.csi.v1.Volume;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.csi.v1.VolumeContentSource;
import io.openlocal.csi.volume.AccessRules;
import io.openlocal.csi.volume.CapacityRequest;
import io.openlocal.csi.volume.Conditions;
import io.openlocal.csi.volume.RequestNames;
import io.openlocal.csi.volume.SnapshotParameters;
import io.openlocal.csi.volume.VolumeContexts;
import io.openlocal.csi.volume.VolumeId;
import io.openlocal.csi.volume.VolumeLocks;
import io.openlocal.scheduling.claim.StorageClassParameters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * The CSI Controller service. It runs beside the external-provisioner (or in the standalone process) and does the
 * storage work through the node API of the node that holds, or will hold, the volume. Every call validates the
 * request first, takes the volume's lock (ABORTED if another call holds it), then asks the node.
 */
public final class ControllerService extends ControllerGrpc.ControllerImplBase {

    private static final List<Type> ALWAYS = List.of(Type.CREATE_DELETE_VOLUME, Type.LIST_VOLUMES,
            Type.GET_CAPACITY, Type.VOLUME_CONDITION, Type.GET_VOLUME);

    private final CsiSettings settings;
    private final NodeDirectory nodes;
    private final VolumeLocks locks;
    private final Supplier<Set<Capability>> features;

    /**
     * @param features what the nodes' backends can do: snapshots, clones and expansion are advertised only when
     *                 some backend offers them (the cluster's controller cannot see its nodes' kernels and passes
     *                 all three; a node that cannot serve a request says why)
     */
    public ControllerService(CsiSettings settings, NodeDirectory nodes, VolumeLocks locks,
                             Supplier<Set<Capability>> features) {
        this.settings = settings;
        this.nodes = nodes;
        this.locks = locks;
        this.features = features;
    }

    /** Every optional feature: for the cluster's controller, which serves nodes of every kind. */
    public static Supplier<Set<Capability>> allFeatures() {
        return () -> Set.of(Capability.SNAPSHOT, Capability.CLONE, Capability.EXPAND);
    }

    // ---- volumes -------------------------------------------------------------------------------------------

    @Override
    public void createVolume(CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> observer) {
        Calls.unary("CreateVolume", observer, () -> createVolume(request), kind -> switch (kind) {
            // "Source incompatible or not supported" is INVALID_ARGUMENT; a claimed device is a retryable race.
            case UNSUPPORTED -> Status.Code.INVALID_ARGUMENT;
            case BUSY -> Status.Code.ABORTED;
            default -> null;
        });
    }

    private CreateVolumeResponse createVolume(CreateVolumeRequest request) {
        String name = RequestNames.require("name", request.getName());
        if (request.getVolumeCapabilitiesCount() == 0) {
            throw Errors.invalid("volume_capabilities: at least one capability is required");
        }
        for (int i = 0; i < request.getVolumeCapabilitiesCount(); i++) {
            AccessRules.requireWellFormed("volume_capabilities[" + i + "]", request.getVolumeCapabilities(i));
        }
        StorageClassParameters parameters = parseParameters(request.getParametersMap());
        PoolType type = PoolType.fromVolumeType(parameters.volumeKind().wireName());
        String fsType = fsType(request, parameters);
        for (int i = 0; i < request.getVolumeCapabilitiesCount(); i++) {
            String reason = AccessRules.unsupportedReason(request.getVolumeCapabilities(i), type);
            if (reason != null) {
                throw Errors.invalid("volume_capabilities[" + i + "]: " + reason);
            }
        }
        CapacityRequest capacity = CapacityRequest.of(request.hasCapacityRange(), request.getCapacityRange(),
                settings.defaultVolumeSizeBytes());
        Optional<VolumeSource> source = Optional.empty();
        Optional<String> sourceNode = Optional.empty();
        if (request.hasVolumeContentSource()) {
            VolumeContentSource content = request.getVolumeContentSource();
            VolumeId sourceId = switch (content.getTypeCase()) {
                case SNAPSHOT -> VolumeId.parseSnapshot(requireText("volume_content_source.snapshot.snapshot_id",
                        content.getSnapshot().getSnapshotId())).orElseThrow(() -> Errors.notFound(
                        "volume_content_source: snapshot '" + content.getSnapshot().getSnapshotId() + "' does not exist"));
                case VOLUME -> VolumeId.parseVolume(requireText("volume_content_source.volume.volume_id",
                        content.getVolume().getVolumeId())).orElseThrow(() -> Errors.notFound(
                        "volume_content_source: volume '" + content.getVolume().getVolumeId() + "' does not exist"));
                case TYPE_NOT_SET -> throw Errors.invalid("volume_content_source: snapshot or volume is required");
            };
            requireSourceExists(sourceId);
            if (sourceId.type() != type) {
                throw Errors.invalid("volume_content_source: a " + sourceId.type().volumeType()
                        + " source cannot make a " + type.volumeType() + " volume");
            }
            source = Optional.of(new VolumeSource(sourceId.ref(), sourceId.snapshot()));
            sourceNode = Optional.of(sourceId.node());
        }
        String nodeName = Placement.chooseNode(request.hasAccessibilityRequirements()
                ? Optional.of(request.getAccessibilityRequirements()) : Optional.empty(), sourceNode, nodes,
                settings.topologyKey());
        NodeStorage node = node(nodeName);
        Map<String, String> fingerprint = VolumeContexts.fingerprint(parameters, fsType);
        Optional<String> pool = Optional.ofNullable(parameters.vgName());
        ProvisionRequest provision = new ProvisionRequest(name, type, capacity.requiredBytes(), capacity.limitBytes(),
                pool, Optional.ofNullable(parameters.mediaType()), fingerprint, Map.of(), source);
        try (VolumeLocks.Held held = locks.acquire("csi-volume:" + name, "volume '" + name + "'")) {
            ProvisionedVolume made = node.provision(provision);
            return CreateVolumeResponse.newBuilder().setVolume(toCsi(nodeName, made)).build();
        }
    }

    private void requireSourceExists(VolumeId sourceId) {
        Optional<NodeStorage> node = nodes.node(sourceId.node());
        boolean exists = node.isPresent() && (sourceId.snapshot()
                ? node.get().snapshots().stream().anyMatch(s -> s.ref().equals(sourceId.ref()))
                : node.get().volume(sourceId.ref()).isPresent());
        if (!exists) {
            throw Errors.notFound("volume_content_source: " + (sourceId.snapshot() ? "snapshot " : "volume ")
                    + sourceId.format() + " does not exist");
        }
    }

    private static StorageClassParameters parseParameters(Map<String, String> parameters) {
        try {
            return StorageClassParameters.parse(parameters);
        } catch (StorageException e) {
            throw Errors.invalid("parameters: " + e.getMessage());
        }
    }

    /** The StorageClass fstype wins; else the capability's; else ext4. Both given and different is an error. */
    private static String fsType(CreateVolumeRequest request, StorageClassParameters parameters) {
        boolean explicit = request.getParametersMap().containsKey(StorageClassParameters.FS_TYPE)
                && !request.getParametersMap().get(StorageClassParameters.FS_TYPE).isEmpty();
        String chosen = explicit ? parameters.fsType().wireName() : null;
        for (int i = 0; i < request.getVolumeCapabilitiesCount(); i++) {
            VolumeCapability capability = request.getVolumeCapabilities(i);
            if (capability.hasMount() && !capability.getMount().getFsType().isEmpty()) {
                String fs = capability.getMount().getFsType();
                if (chosen == null) {
                    chosen = fs;
                } else if (!chosen.equals(fs)) {
                    throw Errors.invalid("volume_capabilities[" + i + "].mount.fs_type: '" + fs + "' contradicts "
                            + (explicit ? "parameter " + StorageClassParameters.FS_TYPE : "another capability")
                            + " '" + chosen + "'");
                }
            }
        }
        return chosen == null ? parameters.fsType().wireName() : chosen;
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> observer) {
        Calls.unary("DeleteVolume", observer, () -> {
            String text = requireText("volume_id", request.getVolumeId());
            Optional<VolumeId> id = VolumeId.parseVolume(text);
            // An id that is not ours names no volume, and deleting what does not exist succeeds.
            if (id.isPresent()) {
                Optional<NodeStorage> node = nodes.node(id.get().node());
                if (node.isPresent()) {
                    try (VolumeLocks.Held held = locks.acquire(id.get().name(), "volume " + text)) {
                        node.get().delete(id.get().ref());
                    }
                }
            }
            return DeleteVolumeResponse.getDefaultInstance();
        });
    }

    @Override
    public void controllerExpandVolume(ControllerExpandVolumeRequest request,
                                       StreamObserver<ControllerExpandVolumeResponse> observer) {
        Calls.unary("ControllerExpandVolume", observer, () -> {
            String text = requireText("volume_id", request.getVolumeId());
            if (!request.hasCapacityRange()) {
                throw Errors.invalid("capacity_range: is required");
            }
            long required = request.getCapacityRange().getRequiredBytes();
            long limit = request.getCapacityRange().getLimitBytes();
            if (required < 0 || limit < 0) {
                throw Errors.invalid("capacity_range: sizes must not be negative");
            }
            if (required == 0 && limit == 0) {
                throw Errors.invalid("capacity_range: required_bytes or limit_bytes is required");
            }
            if (limit > 0 && required > limit) {
                throw Errors.outOfRange("capacity_range: required_bytes " + required + " exceeds limit_bytes " + limit);
            }
            if (request.hasVolumeCapability()) {
                AccessRules.requireWellFormed("volume_capability", request.getVolumeCapability());
            }
            long target = required > 0 ? required : limit;
            VolumeId id = VolumeId.parseVolume(text).orElseThrow(() -> Errors.notFound("volume " + text
                    + " does not exist"));
            NodeStorage node = nodes.node(id.node()).orElseThrow(() -> Errors.notFound("volume " + text
                    + " does not exist (node " + id.node() + " is unknown)"));
            try (VolumeLocks.Held held = locks.acquire(id.name(), "volume " + text)) {
                VolumeLookup current = node.volume(id.ref()).orElseThrow(() -> Errors.notFound("volume " + text
                        + " does not exist"));
                long size = current.volume().sizeBytes();
                if (size < target) {
                    size = node.expand(id.ref(), target).volume().sizeBytes();
                }
                if (limit > 0 && size > limit) {
                    throw Errors.outOfRange("capacity_range: the volume has " + size + " bytes, above limit_bytes "
                            + limit);
                }
                boolean block = request.hasVolumeCapability() && request.getVolumeCapability().hasBlock();
                return ControllerExpandVolumeResponse.newBuilder().setCapacityBytes(size)
                        .setNodeExpansionRequired(!block && VolumeContexts.hasBlockDevice(id.type())).build();
            }
        }, kind -> kind == StorageException.Kind.UNSUPPORTED ? Status.Code.OUT_OF_RANGE : null);
    }

    @Override
    public void validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest request,
                                           StreamObserver<ValidateVolumeCapabilitiesResponse> observer) {
        Calls.unary("ValidateVolumeCapabilities", observer, () -> {
            String text = requireText("volume_id", request.getVolumeId());
            if (request.getVolumeCapabilitiesCount() == 0) {
                throw Errors.invalid("volume_capabilities: at least one capability is required");
            }
            for (int i = 0; i < request.getVolumeCapabilitiesCount(); i++) {
                AccessRules.requireWellFormed("volume_capabilities[" + i + "]", request.getVolumeCapabilities(i));
            }
            VolumeId id = VolumeId.parseVolume(text).orElseThrow(() -> Errors.notFound("volume " + text
                    + " does not exist"));
            VolumeLookup lookup = nodes.node(id.node()).flatMap(n -> n.volume(id.ref()))
                    .orElseThrow(() -> Errors.notFound("volume " + text + " does not exist"));
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < request.getVolumeCapabilitiesCount(); i++) {
                String reason = AccessRules.unsupportedReason(request.getVolumeCapabilities(i), id.type());
                if (reason != null) {
                    problems.add("volume_capabilities[" + i + "]: " + reason);
                }
            }
            if (!request.getParametersMap().isEmpty()) {
                StorageClassParameters parameters = parseParameters(request.getParametersMap());
                if (!parameters.volumeKind().wireName().equals(id.type().volumeType())) {
                    problems.add("parameters: volumeType " + parameters.volumeKind().wireName()
                            + " does not match the volume's " + id.type().volumeType());
                }
            }
            ValidateVolumeCapabilitiesResponse.Builder answer = ValidateVolumeCapabilitiesResponse.newBuilder();
            if (!problems.isEmpty()) {
                return answer.setMessage(String.join("; ", problems)).build();
            }
            Map<String, String> recorded = lookup.record().map(ProvisionedVolume::parameters).orElse(Map.of());
            return answer.setConfirmed(ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                    .putAllVolumeContext(VolumeContexts.context(id.ref(), recorded))
                    .addAllVolumeCapabilities(request.getVolumeCapabilitiesList())
                    .putAllParameters(request.getParametersMap())).build();
        });
    }

    @Override
    public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> observer) {
        Calls.unary("ListVolumes", observer, () -> {
            if (request.getMaxEntries() < 0) {
                throw Errors.invalid("max_entries: must not be negative, got " + request.getMaxEntries());
            }
            List<ListVolumesResponse.Entry> all = new ArrayList<>();
            for (String nodeName : nodes.nodeNames()) {
                NodeStorage node = node(nodeName);
                for (ProvisionedVolume volume : node.volumes()) {
                    all.add(ListVolumesResponse.Entry.newBuilder()
                            .setVolume(toCsi(nodeName, volume))
                            .setStatus(ListVolumesResponse.VolumeStatus.newBuilder()
                                    .setVolumeCondition(Conditions.of(volume.volume())))
                            .build());
                }
            }
            all.sort(Comparator.comparing(e -> e.getVolume().getVolumeId()));
            PageTokens.Page<ListVolumesResponse.Entry> page = PageTokens.page(all, e -> e.getVolume().getVolumeId(),
                    request.getMaxEntries(), request.getStartingToken());
            return ListVolumesResponse.newBuilder().addAllEntries(page.entries()).setNextToken(page.nextToken())
                    .build();
        });
    }

    @Override
    public void controllerGetVolume(ControllerGetVolumeRequest request,
                                    StreamObserver<ControllerGetVolumeResponse> observer) {
        Calls.unary("ControllerGetVolume", observer, () -> {
            String text = requireText("volume_id", request.getVolumeId());
            VolumeId id = VolumeId.parseVolume(text).orElseThrow(() -> Errors.notFound("volume " + text
                    + " does not exist"));
            VolumeLookup lookup = nodes.node(id.node()).flatMap(n -> n.volume(id.ref()))
                    .orElseThrow(() -> Errors.notFound("volume " + text + " does not exist"));
            Volume.Builder volume = Volume.newBuilder().setVolumeId(text)
                    .setCapacityBytes(lookup.volume().sizeBytes())
                    .putAllVolumeContext(VolumeContexts.context(id.ref(),
                            lookup.record().map(ProvisionedVolume::parameters).orElse(Map.of())))
                    .addAccessibleTopology(topology(id.node()));
            return ControllerGetVolumeResponse.newBuilder().setVolume(volume)
                    .setStatus(ControllerGetVolumeResponse.VolumeStatus.newBuilder()
                            .setVolumeCondition(Conditions.of(lookup.volume())))
                    .build();
        });
    }

    @Override
    public void getCapacity(GetCapacityRequest request, StreamObserver<GetCapacityResponse> observer) {
        Calls.unary("GetCapacity", observer, () -> {
            for (int i = 0; i < request.getVolumeCapabilitiesCount(); i++) {
                AccessRules.requireWellFormed("volume_capabilities[" + i + "]", request.getVolumeCapabilities(i));
            }
            Optional<StorageClassParameters> parameters = request.getParametersMap().isEmpty() ? Optional.empty()
                    : Optional.of(parseParameters(request.getParametersMap()));
            Optional<PoolType> type = parameters.map(p -> PoolType.fromVolumeType(p.volumeKind().wireName()));
            if (type.isPresent()) {
                for (VolumeCapability capability : request.getVolumeCapabilitiesList()) {
                    if (AccessRules.unsupportedReason(capability, type.get()) != null) {
                        return GetCapacityResponse.newBuilder().setAvailableCapacity(0)
                                .setMaximumVolumeSize(Int64Value.of(0)).build();
                    }
                }
            }
            List<String> nodeNames;
            if (request.hasAccessibleTopology()
                    && request.getAccessibleTopology().getSegmentsMap().containsKey(settings.topologyKey())) {
                String wanted = request.getAccessibleTopology().getSegmentsMap().get(settings.topologyKey());
                nodeNames = nodes.node(wanted).isPresent() ? List.of(wanted) : List.of();
            } else {
                nodeNames = nodes.nodeNames();
            }
            long available = 0;
            long largest = 0;
            for (String nodeName : nodeNames) {
                for (PoolInfo pool : node(nodeName).pools(type)) {
                    if (!matches(pool, parameters) || pool.readOnly() || pool.inUse()) {
                        continue;
                    }
                    long free = pool.capacity().availableBytes();
                    available += free;
                    largest = Math.max(largest, free);
                }
            }
            return GetCapacityResponse.newBuilder().setAvailableCapacity(available)
                    .setMaximumVolumeSize(Int64Value.of(largest)).build();
        });
    }

    private static boolean matches(PoolInfo pool, Optional<StorageClassParameters> parameters) {
        if (parameters.isEmpty()) {
            return true;
        }
        StorageClassParameters p = parameters.get();
        if (p.vgName() != null && !p.vgName().equals(pool.name())) {
            return false;
        }
        return p.mediaType() == null || p.mediaType() == pool.mediaType();
    }

    @Override
    public void controllerGetCapabilities(ControllerGetCapabilitiesRequest request,
                                          StreamObserver<ControllerGetCapabilitiesResponse> observer) {
        Calls.unary("ControllerGetCapabilities", observer, () -> {
            ControllerGetCapabilitiesResponse.Builder answer = ControllerGetCapabilitiesResponse.newBuilder();
            List<Type> types = new java.util.ArrayList<>(ALWAYS);
            Set<Capability> offered = features.get();
            if (offered.contains(Capability.SNAPSHOT)) {
                types.addAll(List.of(Type.CREATE_DELETE_SNAPSHOT, Type.LIST_SNAPSHOTS));
            }
            if (offered.contains(Capability.CLONE)) {
                types.add(Type.CLONE_VOLUME);
            }
            if (offered.contains(Capability.EXPAND)) {
                types.add(Type.EXPAND_VOLUME);
            }
            for (Type type : types) {
                answer.addCapabilities(ControllerServiceCapability.newBuilder()
                        .setRpc(ControllerServiceCapability.RPC.newBuilder().setType(type)));
            }
            return answer.build();
        });
    }

    // ---- snapshots -----------------------------------------------------------------------------------------

    @Override
    public void createSnapshot(CreateSnapshotRequest request, StreamObserver<CreateSnapshotResponse> observer) {
        Calls.unary("CreateSnapshot", observer, () -> {
            String name = RequestNames.require("name", request.getName());
            String sourceText = requireText("source_volume_id", request.getSourceVolumeId());
            SnapshotParameters parameters = SnapshotParameters.parse(request.getParametersMap());
            VolumeId source = VolumeId.parseVolume(sourceText).orElseThrow(() -> Errors.notFound(
                    "source_volume_id: volume " + sourceText + " does not exist"));
            NodeStorage node = nodes.node(source.node()).orElseThrow(() -> Errors.notFound(
                    "source_volume_id: volume " + sourceText + " does not exist"));
            try (VolumeLocks.Held held = locks.acquire("csi-snapshot:" + name, "snapshot '" + name + "'")) {
                if (node.volume(source.ref()).isEmpty()) {
                    throw Errors.notFound("source_volume_id: volume " + sourceText + " does not exist");
                }
                SnapshotRecord taken = node.snapshot(new SnapshotRequest(name, source.ref(),
                        parameters.initialSizeBytes().orElse(0L), parameters.asMap()));
                return CreateSnapshotResponse.newBuilder().setSnapshot(toCsi(source.node(), taken)).build();
            }
        }, kind -> kind == StorageException.Kind.UNAVAILABLE ? Status.Code.FAILED_PRECONDITION : null);
    }

    @Override
    public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> observer) {
        Calls.unary("DeleteSnapshot", observer, () -> {
            String text = requireText("snapshot_id", request.getSnapshotId());
            Optional<VolumeId> id = VolumeId.parseSnapshot(text);
            if (id.isPresent()) {
                Optional<NodeStorage> node = nodes.node(id.get().node());
                if (node.isPresent()) {
                    try (VolumeLocks.Held held = locks.acquire(id.get().name(), "snapshot " + text)) {
                        node.get().deleteSnapshot(id.get().ref());
                    }
                }
            }
            return DeleteSnapshotResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSnapshots(ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> observer) {
        Calls.unary("ListSnapshots", observer, () -> {
            if (request.getMaxEntries() < 0) {
                throw Errors.invalid("max_entries: must not be negative, got " + request.getMaxEntries());
            }
            List<Snapshot> all = new ArrayList<>();
            boolean bySnapshot = !request.getSnapshotId().isEmpty();
            boolean bySource = !request.getSourceVolumeId().isEmpty();
            Optional<VolumeId> wantedSnapshot = VolumeId.parseSnapshot(request.getSnapshotId());
            Optional<VolumeId> wantedSource = VolumeId.parseVolume(request.getSourceVolumeId());
            // A filter naming nothing of ours matches nothing (an empty answer, not an error).
            if ((!bySnapshot || wantedSnapshot.isPresent()) && (!bySource || wantedSource.isPresent())) {
                for (String nodeName : nodes.nodeNames()) {
                    for (SnapshotRecord record : node(nodeName).snapshots()) {
                        Snapshot snapshot = toCsi(nodeName, record);
                        if (bySnapshot && !snapshot.getSnapshotId().equals(request.getSnapshotId())) {
                            continue;
                        }
                        if (bySource && !snapshot.getSourceVolumeId().equals(request.getSourceVolumeId())) {
                            continue;
                        }
                        all.add(snapshot);
                    }
                }
            }
            all.sort(Comparator.comparing(Snapshot::getSnapshotId));
            PageTokens.Page<Snapshot> page = PageTokens.page(all, Snapshot::getSnapshotId, request.getMaxEntries(),
                    request.getStartingToken());
            ListSnapshotsResponse.Builder answer = ListSnapshotsResponse.newBuilder().setNextToken(page.nextToken());
            page.entries().forEach(s -> answer.addEntries(ListSnapshotsResponse.Entry.newBuilder().setSnapshot(s)));
            return answer.build();
        });
    }

    // ---- not offered ---------------------------------------------------------------------------------------

    @Override
    public void controllerPublishVolume(ControllerPublishVolumeRequest request,
                                        StreamObserver<ControllerPublishVolumeResponse> observer) {
        observer.onError(Errors.unimplemented("ControllerPublishVolume: local volumes need no controller publish"));
    }

    @Override
    public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest request,
                                          StreamObserver<ControllerUnpublishVolumeResponse> observer) {
        observer.onError(Errors.unimplemented("ControllerUnpublishVolume: local volumes need no controller publish"));
    }

    @Override
    public void controllerModifyVolume(ControllerModifyVolumeRequest request,
                                       StreamObserver<ControllerModifyVolumeResponse> observer) {
        observer.onError(Errors.unimplemented("ControllerModifyVolume: MODIFY_VOLUME is not offered"));
    }

    @Override
    public void getSnapshot(GetSnapshotRequest request, StreamObserver<GetSnapshotResponse> observer) {
        observer.onError(Errors.unimplemented("GetSnapshot: GET_SNAPSHOT is not offered (use ListSnapshots)"));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private NodeStorage node(String name) {
        return nodes.node(name).orElseThrow(() -> Errors.status(Status.Code.UNAVAILABLE, "node " + name
                + " is not reachable from this controller"));
    }

    private static String requireText(String field, String value) {
        if (value.isEmpty()) {
            throw Errors.invalid(field + ": is required");
        }
        return value;
    }

    private Topology topology(String nodeName) {
        return Topology.newBuilder().putSegments(settings.topologyKey(), nodeName).build();
    }

    private Volume toCsi(String nodeName, ProvisionedVolume made) {
        Volume.Builder volume = Volume.newBuilder()
                .setVolumeId(VolumeId.volume(nodeName, made.volume().ref()).format())
                .setCapacityBytes(made.volume().sizeBytes())
                .putAllVolumeContext(VolumeContexts.context(made.volume().ref(), made.parameters()))
                .addAccessibleTopology(topology(nodeName));
        made.source().ifPresent(source -> {
            VolumeContentSource.Builder content = VolumeContentSource.newBuilder();
            if (source.snapshot()) {
                content.setSnapshot(VolumeContentSource.SnapshotSource.newBuilder()
                        .setSnapshotId(VolumeId.snapshot(nodeName, source.ref()).format()));
            } else {
                content.setVolume(VolumeContentSource.VolumeSource.newBuilder()
                        .setVolumeId(VolumeId.volume(nodeName, source.ref()).format()));
            }
            volume.setContentSource(content);
        });
        return volume.build();
    }

    private static Snapshot toCsi(String nodeName, SnapshotRecord record) {
        long millis = record.createdEpochMillis();
        return Snapshot.newBuilder()
                .setSnapshotId(VolumeId.snapshot(nodeName, record.ref()).format())
                .setSourceVolumeId(VolumeId.volume(nodeName, record.source()).format())
                .setSizeBytes(record.sizeBytes())
                .setCreationTime(Timestamp.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
                .setReadyToUse(record.readyToUse())
                .build();
    }
}
