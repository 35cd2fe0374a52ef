package io.openlocal.csi.node;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.FilesystemResizer;
import io.openlocal.backend.filesystem.FilesystemStats;
import io.openlocal.backend.filesystem.FormatOptions;
import io.openlocal.backend.filesystem.Formatter;
import io.openlocal.backend.filesystem.FsType;
import io.openlocal.backend.filesystem.FsUsage;
import io.openlocal.backend.filesystem.MountEntry;
import io.openlocal.backend.filesystem.Mounter;
import io.openlocal.backend.naming.Names;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.csi.CsiSettings;
import io.openlocal.csi.grpc.Calls;
import io.openlocal.csi.grpc.Errors;
import io.openlocal.csi.nodeapi.LocalDevices;
import io.openlocal.csi.nodeapi.NodeStorage;
import io.openlocal.csi.nodeapi.ProvisionedVolume;
import io.openlocal.csi.nodeapi.VolumeLookup;
import io.openlocal.csi.v1.NodeExpandVolumeRequest;
import io.openlocal.csi.v1.NodeExpandVolumeResponse;
import io.openlocal.csi.v1.NodeGetCapabilitiesRequest;
import io.openlocal.csi.v1.NodeGetCapabilitiesResponse;
import io.openlocal.csi.v1.NodeGetInfoRequest;
import io.openlocal.csi.v1.NodeGetInfoResponse;
import io.openlocal.csi.v1.NodeGetVolumeStatsRequest;
import io.openlocal.csi.v1.NodeGetVolumeStatsResponse;
import io.openlocal.csi.v1.NodeGrpc;
import io.openlocal.csi.v1.NodePublishVolumeRequest;
import io.openlocal.csi.v1.NodePublishVolumeResponse;
import io.openlocal.csi.v1.NodeServiceCapability;
import io.openlocal.csi.v1.NodeStageVolumeRequest;
import io.openlocal.csi.v1.NodeStageVolumeResponse;
import io.openlocal.csi.v1.NodeUnpublishVolumeRequest;
import io.openlocal.csi.v1.NodeUnpublishVolumeResponse;
import io.openlocal.csi.v1.NodeUnstageVolumeRequest;
import io.openlocal.csi.v1.NodeUnstageVolumeResponse;
import io.openlocal.csi.v1.Topology;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.csi.v1.VolumeCapability.AccessMode.Mode;
import io.openlocal.csi.v1.VolumeCondition;
import io.openlocal.csi.v1.VolumeUsage;
import io.openlocal.csi.volume.AccessRules;
import io.openlocal.csi.volume.Conditions;
import io.openlocal.csi.volume.VolumeContexts;
import io.openlocal.csi.volume.VolumeId;
import io.openlocal.csi.volume.VolumeLocks;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CSI Node service, run by the agent on each node (and by the standalone process). Staging formats a volume
 * on first use (never a volume that already holds a filesystem) and mounts it at the staging path; publishing
 * bind-mounts the staged filesystem, or the raw device node, into the pod's target path. Staging and target
 * paths must lie under the kubelet directory, checked before anything runs.
 */
public final class NodeService extends NodeGrpc.NodeImplBase {

    private static final List<NodeServiceCapability.RPC.Type> CAPABILITIES = List.of(
            NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME, NodeServiceCapability.RPC.Type.GET_VOLUME_STATS,
            NodeServiceCapability.RPC.Type.EXPAND_VOLUME, NodeServiceCapability.RPC.Type.VOLUME_CONDITION);

    /** The pod's UID, which kubelet passes when the CSIDriver has podInfoOnMount. */
    private static final String POD_UID = "csi.storage.k8s.io/pod.uid";

    private final CsiSettings settings;
    private final NodeStorage storage;
    private final LocalDevices devices;
    private final VolumeLocks locks;
    private final Formatter formatter;
    private final Mounter mounter;
    private final FilesystemStats stats;
    private final FilesystemResizer resizer;
    private final PodIoLimits ioLimits;

    public NodeService(CsiSettings settings, NodeStorage storage, LocalDevices devices, VolumeLocks locks,
                       Formatter formatter, Mounter mounter, FilesystemStats stats, FilesystemResizer resizer,
                       PodIoLimits ioLimits) {
        this.ioLimits = ioLimits;
        this.settings = settings;
        this.storage = storage;
        this.devices = devices;
        this.locks = locks;
        this.formatter = formatter;
        this.mounter = mounter;
        this.stats = stats;
        this.resizer = resizer;
    }

    // ---- stage ---------------------------------------------------------------------------------------------

    @Override
    public void nodeStageVolume(NodeStageVolumeRequest request, StreamObserver<NodeStageVolumeResponse> observer) {
        Calls.unary("NodeStageVolume", observer, () -> {
            String idText = requireText("volume_id", request.getVolumeId());
            Path staging = underKubelet("staging_target_path", request.getStagingTargetPath());
            VolumeCapability capability = requireCapability(request.hasVolumeCapability(), request.getVolumeCapability());
            VolumeId id = localVolume(idText);
            requireSupported(capability, id.type());
            try (VolumeLocks.Held held = locks.acquire(id.name(), "volume " + idText)) {
                VolumeLookup lookup = lookup(id);
                if (capability.hasBlock()) {
                    // Raw block volumes are published straight from the device node: staging only makes sure there
                    // is one (attaching the volume where its backend needs that).
                    device(id, lookup.volume());
                    return NodeStageVolumeResponse.getDefaultInstance();
                }
                requireDirectory("staging_target_path", staging);
                List<String> flags = AccessRules.splitFlags(capability.getMount().getMountFlagsList());
                // "ro"/"rw" among the flags (StorageClass mountOptions) set the read-only flag, not an option.
                boolean readOnly = capability.getAccessMode().getMode() == Mode.SINGLE_NODE_READER_ONLY
                        || flags.contains("ro");
                flags = flags.stream().filter(f -> !f.equals("ro") && !f.equals("rw")).toList();
                if (id.type() == PoolType.MOUNT_POINT) {
                    mounter.bindMount(id.pool(), staging.toString(), readOnly);
                    return NodeStageVolumeResponse.getDefaultInstance();
                }
                String device = device(id, lookup.volume());
                FsType fsType = FsType.fromName("fs_type", fsType(capability, lookup, request.getVolumeContextMap()));
                formatter.formatIfBlank(device, fsType, FormatOptions.none());
                mounter.mount(device, staging.toString(), fsType.fsName(), flags, readOnly);
                return NodeStageVolumeResponse.getDefaultInstance();
            }
        }, kind -> switch (kind) {
            // Something else is mounted at the staging path: "volume published but incompatible".
            case BUSY -> Status.Code.ALREADY_EXISTS;
            // The device holds another filesystem or data: never reformatted.
            case INVALID_ARGUMENT -> Status.Code.FAILED_PRECONDITION;
            default -> null;
        });
    }

    @Override
    public void nodeUnstageVolume(NodeUnstageVolumeRequest request,
                                  StreamObserver<NodeUnstageVolumeResponse> observer) {
        Calls.unary("NodeUnstageVolume", observer, () -> {
            String idText = requireText("volume_id", request.getVolumeId());
            Path staging = underKubelet("staging_target_path", request.getStagingTargetPath());
            VolumeId id = localVolume(idText);
            try (VolumeLocks.Held held = locks.acquire(id.name(), "volume " + idText)) {
                boolean mounted = mounter.mountOf(staging.toString()).isPresent();
                if (!mounted && storage.volume(id.ref()).isEmpty()) {
                    throw Errors.notFound("volume " + idText + " does not exist");
                }
                mounter.unmount(staging.toString());
                if (devices.attaches(id.type())) {
                    devices.detach(id.ref());
                }
                return NodeUnstageVolumeResponse.getDefaultInstance();
            }
        }, kind -> kind == StorageException.Kind.BUSY ? Status.Code.FAILED_PRECONDITION : null);
    }

    // ---- publish -------------------------------------------------------------------------------------------

    @Override
    public void nodePublishVolume(NodePublishVolumeRequest request,
                                  StreamObserver<NodePublishVolumeResponse> observer) {
        Calls.unary("NodePublishVolume", observer, () -> {
            String idText = requireText("volume_id", request.getVolumeId());
            Path target = underKubelet("target_path", request.getTargetPath());
            VolumeCapability capability = requireCapability(request.hasVolumeCapability(), request.getVolumeCapability());
            // STAGE_UNSTAGE_VOLUME is offered, so the CO must stage first and pass the staging path.
            Path staging = underKubelet("staging_target_path", request.getStagingTargetPath());
            VolumeId id = localVolume(idText);
            requireSupported(capability, id.type());
            boolean readOnly = request.getReadonly()
                    || capability.getAccessMode().getMode() == Mode.SINGLE_NODE_READER_ONLY;
            try (VolumeLocks.Held held = locks.acquire(id.name(), "volume " + idText)) {
                VolumeLookup lookup = lookup(id);
                if (!Files.isDirectory(target.getParent())) {
                    throw Errors.notFound("target_path: parent directory " + target.getParent() + " does not exist");
                }
                // Limits first: a publish that cannot enforce them leaves nothing mounted for the pod.
                limitIo(id, lookup, request.getVolumeContextMap());
                if (capability.hasBlock()) {
                    mounter.bindMount(device(id, lookup.volume()), target.toString(), readOnly);
                    return NodePublishVolumeResponse.getDefaultInstance();
                }
                Optional<MountEntry> staged = mounter.mountOf(staging.toString());
                if (staged.isEmpty()) {
                    throw Errors.failedPrecondition("staging_target_path: volume " + idText + " is not staged at "
                            + staging);
                }
                mounter.bindMount(staging.toString(), target.toString(), readOnly);
                return NodePublishVolumeResponse.getDefaultInstance();
            }
        }, kind -> kind == StorageException.Kind.BUSY ? Status.Code.ALREADY_EXISTS : null);
    }

    @Override
    public void nodeUnpublishVolume(NodeUnpublishVolumeRequest request,
                                    StreamObserver<NodeUnpublishVolumeResponse> observer) {
        Calls.unary("NodeUnpublishVolume", observer, () -> {
            String idText = requireText("volume_id", request.getVolumeId());
            Path target = underKubelet("target_path", request.getTargetPath());
            VolumeId id = localVolume(idText);
            try (VolumeLocks.Held held = locks.acquire(id.name(), "volume " + idText)) {
                mounter.unmount(target.toString());
                releaseIoLimits(id, target);
                try {
                    // The plugin made the target (file or directory) at publish; it removes it.
                    Files.deleteIfExists(target);
                } catch (DirectoryNotEmptyException e) {
                    throw Errors.failedPrecondition("target_path: " + target + " is not empty after unmounting; "
                            + "left in place");
                } catch (IOException e) {
                    throw new StorageException.Unavailable("target_path: cannot remove " + target + ": "
                            + e.getMessage(), e);
                }
                return NodeUnpublishVolumeResponse.getDefaultInstance();
            }
        }, kind -> kind == StorageException.Kind.BUSY ? Status.Code.FAILED_PRECONDITION : null);
    }

    // ---- stats and expansion -------------------------------------------------------------------------------

    @Override
    public void nodeGetVolumeStats(NodeGetVolumeStatsRequest request,
                                   StreamObserver<NodeGetVolumeStatsResponse> observer) {
        Calls.unary("NodeGetVolumeStats", observer, () -> {
            String idText = requireText("volume_id", request.getVolumeId());
            String pathText = requireText("volume_path", request.getVolumePath());
            if (!request.getStagingTargetPath().isEmpty()) {
                underKubelet("staging_target_path", request.getStagingTargetPath());
            }
            VolumeId id = localVolume(idText);
            VolumeLookup lookup = lookup(id);
            Path path = existingVolumePath(idText, pathText);
            Volume volume = lookup.volume();
            VolumeCondition condition = Conditions.of(volume);
            Optional<MountEntry> mount = mounter.mountOf(path.toString());
            NodeGetVolumeStatsResponse.Builder answer = NodeGetVolumeStatsResponse.newBuilder();
            if (mount.isEmpty()) {
                condition = Conditions.abnormal("volume " + idText + " is not mounted at " + path);
            } else if (devices.attaches(id.type())) {
                Optional<String> attached = devices.attachedDevice(id.ref());
                if (attached.isEmpty() || !Files.exists(Path.of(attached.get()))) {
                    condition = Conditions.abnormal("volume " + idText + " is not attached to this node "
                            + "(its export is gone or the initiator lost the connection)");
                }
            } else if (VolumeContexts.hasBlockDevice(id.type()) && volume.devicePath().isPresent()
                    && !Files.exists(Path.of(volume.devicePath().get()))) {
                condition = Conditions.abnormal("device " + volume.devicePath().get() + " of volume " + idText
                        + " is gone");
            }
            if (Files.isDirectory(path)) {
                FsUsage usage = stats.of(path);
                answer.addUsage(VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.BYTES)
                        .setTotal(usage.totalBytes()).setUsed(usage.usedBytes()).setAvailable(usage.availableBytes()));
                if (usage.totalInodes() > 0) {
                    answer.addUsage(VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.INODES)
                            .setTotal(usage.totalInodes()).setUsed(usage.usedInodes())
                            .setAvailable(usage.availableInodes()));
                }
            } else {
                // A raw block volume: only its size is known.
                answer.addUsage(VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.BYTES).setTotal(volume.sizeBytes()));
            }
            return answer.setVolumeCondition(condition).build();
        });
    }

    @Override
    public void nodeExpandVolume(NodeExpandVolumeRequest request, StreamObserver<NodeExpandVolumeResponse> observer) {
        Calls.unary("NodeExpandVolume", observer, () -> {
            String idText = requireText("volume_id", request.getVolumeId());
            String pathText = requireText("volume_path", request.getVolumePath());
            Optional<Path> staging = request.getStagingTargetPath().isEmpty() ? Optional.empty()
                    : Optional.of(underKubelet("staging_target_path", request.getStagingTargetPath()));
            if (request.hasVolumeCapability()) {
                AccessRules.requireWellFormed("volume_capability", request.getVolumeCapability());
            }
            if (request.hasCapacityRange() && (request.getCapacityRange().getRequiredBytes() < 0
                    || request.getCapacityRange().getLimitBytes() < 0)) {
                throw Errors.invalid("capacity_range: sizes must not be negative");
            }
            VolumeId id = localVolume(idText);
            try (VolumeLocks.Held held = locks.acquire(id.name(), "volume " + idText)) {
                VolumeLookup lookup = lookup(id);
                // Looked up first: an unknown volume is NOT_FOUND whatever the path (csi-sanity sends "some/path").
                Path path = underKubelet("volume_path", pathText);
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw Errors.notFound("volume_path: " + path + " does not exist");
                }
                long size = lookup.volume().sizeBytes();
                boolean block = (request.hasVolumeCapability() && request.getVolumeCapability().hasBlock())
                        || !Files.isDirectory(path);
                if (block || id.type() == PoolType.MOUNT_POINT) {
                    return NodeExpandVolumeResponse.newBuilder().setCapacityBytes(size).build();
                }
                String device = device(id, lookup.volume());
                Path mounted = staging.filter(p -> mounter.mountOf(p.toString()).isPresent()).orElse(path);
                resizer.grow(device, mounted.toString());
                return NodeExpandVolumeResponse.newBuilder().setCapacityBytes(size).build();
            }
        }, kind -> kind == StorageException.Kind.INVALID_ARGUMENT ? Status.Code.FAILED_PRECONDITION : null);
    }

    // ---- node facts ----------------------------------------------------------------------------------------

    @Override
    public void nodeGetCapabilities(NodeGetCapabilitiesRequest request,
                                    StreamObserver<NodeGetCapabilitiesResponse> observer) {
        Calls.unary("NodeGetCapabilities", observer, () -> {
            NodeGetCapabilitiesResponse.Builder answer = NodeGetCapabilitiesResponse.newBuilder();
            for (NodeServiceCapability.RPC.Type type : CAPABILITIES) {
                answer.addCapabilities(NodeServiceCapability.newBuilder()
                        .setRpc(NodeServiceCapability.RPC.newBuilder().setType(type)));
            }
            return answer.build();
        });
    }

    @Override
    public void nodeGetInfo(NodeGetInfoRequest request, StreamObserver<NodeGetInfoResponse> observer) {
        Calls.unary("NodeGetInfo", observer, () -> NodeGetInfoResponse.newBuilder()
                .setNodeId(settings.nodeName())
                .setMaxVolumesPerNode(settings.maxVolumesPerNode())
                .setAccessibleTopology(Topology.newBuilder().putSegments(settings.topologyKey(), settings.nodeName()))
                .build());
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String requireText(String field, String value) {
        if (value.isEmpty()) {
            throw Errors.invalid(field + ": is required");
        }
        return value;
    }

    private Path underKubelet(String field, String value) {
        if (value.isEmpty()) {
            throw Errors.invalid(field + ": is required");
        }
        try {
            Path path = Names.requirePathUnder(field, value, settings.kubeletDir(), false);
            if (value.chars().anyMatch(Character::isISOControl)) {
                throw Errors.invalid(field + ": control characters in a path");
            }
            return path;
        } catch (StorageException e) {
            throw Errors.invalid(e.getMessage());
        }
    }

    /**
     * The volume_path of NodeGetVolumeStats, checked after the volume is known to exist. A path
     * that is not an absolute path under the kubelet directory, or that is not there, cannot hold the volume: the
     * spec's "volume does not exist at the path" is NOT_FOUND. Nothing outside the kubelet directory is touched.
     */
    private Path existingVolumePath(String idText, String value) {
        Path path;
        try {
            path = Names.requirePathUnder("volume_path", value, settings.kubeletDir(), false);
        } catch (StorageException e) {
            throw Errors.notFound(e.getMessage() + " (volume " + idText + " cannot be there)");
        }
        if (value.chars().anyMatch(Character::isISOControl) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw Errors.notFound("volume_path: " + path + " does not exist");
        }
        return path;
    }

    private static VolumeCapability requireCapability(boolean present, VolumeCapability capability) {
        if (!present) {
            throw Errors.invalid("volume_capability: is required");
        }
        AccessRules.requireWellFormed("volume_capability", capability);
        return capability;
    }

    private static void requireSupported(VolumeCapability capability, PoolType type) {
        String reason = AccessRules.unsupportedReason(capability, type);
        if (reason != null) {
            throw Errors.invalid("volume_capability: " + reason);
        }
    }

    /** The id of a volume on this node; anything else names no volume here (NOT_FOUND). */
    private VolumeId localVolume(String text) {
        VolumeId id = VolumeId.parseVolume(text).orElseThrow(() -> Errors.notFound("volume " + text
                + " does not exist"));
        if (!id.node().equals(settings.nodeName())) {
            throw Errors.notFound("volume " + text + " lives on node " + id.node() + ", not on " + settings.nodeName());
        }
        return id;
    }

    private VolumeLookup lookup(VolumeId id) {
        return storage.volume(id.ref()).orElseThrow(() -> Errors.notFound("volume " + id + " does not exist"));
    }

    /**
     * Enforces the volume's iops/bps (recorded at CreateVolume; Open-Local's StorageClass parameters) for the pod
     * being published to, in the pod's cgroup.
     */
    private void limitIo(VolumeId id, VolumeLookup lookup, Map<String, String> context) {
        PodIoLimits.Limits limits = limitsOf(lookup, context);
        if (!limits.any() || id.type() == PoolType.MOUNT_POINT) {
            return;
        }
        String podUid = context.getOrDefault(POD_UID, "");
        if (podUid.isEmpty()) {
            throw Errors.failedPrecondition("volume " + id + " has iops/bps limits, which are set in the pod's "
                    + "cgroup: the request carries no " + POD_UID + " (the CSIDriver needs podInfoOnMount: true)");
        }
        try {
            PodIoLimits.requirePodUid(podUid);
            ioLimits.apply(podUid, Path.of(device(id, lookup.volume())), limits);
        } catch (StorageException.NotFound | StorageException.Unsupported | StorageException.InvalidArgument e) {
            throw Errors.failedPrecondition("volume " + id + ": cannot enforce iops/bps: " + e.getMessage());
        }
    }

    /** Takes the volume's limits out of the pod's cgroup; no pod, cgroup or device left is success. */
    private void releaseIoLimits(VolumeId id, Path target) {
        if (id.type() == PoolType.MOUNT_POINT) {
            return;
        }
        Optional<String> podUid = PodIoLimits.podUidOf(target, settings.kubeletDir());
        Optional<VolumeLookup> lookup = storage.volume(id.ref());
        if (podUid.isEmpty() || lookup.isEmpty() || !limitsOf(lookup.get(), Map.of()).any()) {
            return;
        }
        Optional<String> device = devices.attaches(id.type()) ? devices.attachedDevice(id.ref())
                : lookup.get().volume().devicePath();
        try {
            device.ifPresent(d -> ioLimits.remove(podUid.get(), Path.of(d)));
        } catch (StorageException.Unsupported e) {
            // Nothing could have been set.
        }
    }

    private static PodIoLimits.Limits limitsOf(VolumeLookup lookup, Map<String, String> context) {
        Map<String, String> recorded = lookup.record().map(ProvisionedVolume::parameters).orElse(context);
        return new PodIoLimits.Limits(number(recorded.get(VolumeContexts.IOPS)),
                number(recorded.get(VolumeContexts.BPS)));
    }

    private static Long number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Errors.invalid("volume_context: '" + text + "' is not a whole number of iops or bytes per second");
        }
    }

    /** The volume's block device on this node, attaching the volume first where its backend needs that. */
    private String device(VolumeId id, Volume volume) {
        if (devices.attaches(id.type())) {
            return devices.attach(id.ref());
        }
        return requireDevice(volume);
    }

    private static String requireDevice(Volume volume) {
        return volume.devicePath().orElseThrow(() -> Errors.failedPrecondition(Conditions.of(volume).getMessage()));
    }

    private static void requireDirectory(String field, Path path) {
        if (!Files.isDirectory(path)) {
            if (!Files.isDirectory(path.getParent())) {
                throw Errors.notFound(field + ": " + path + " does not exist");
            }
            try {
                Files.createDirectories(path);
            } catch (IOException e) {
                throw new StorageException.Unavailable(field + ": cannot create " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /** The filesystem to make: the capability's, else the one recorded at CreateVolume, else ext4. */
    private static String fsType(VolumeCapability capability, VolumeLookup lookup, Map<String, String> context) {
        String fromCapability = capability.getMount().getFsType();
        if (!fromCapability.isEmpty()) {
            return fromCapability;
        }
        return lookup.record().map(ProvisionedVolume::parameters).map(p -> p.get(VolumeContexts.FS_TYPE))
                .orElse(context.getOrDefault(VolumeContexts.FS_TYPE, "ext4"));
    }
}
