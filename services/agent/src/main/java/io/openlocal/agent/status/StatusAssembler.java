package io.openlocal.agent.status;

import io.openlocal.agent.discovery.NodeInventory;
import io.openlocal.agent.init.InitOutcome;
import io.openlocal.agent.init.InitOutcome.Result;
import io.openlocal.agent.listing.NameSelection;
import io.openlocal.backend.naming.Quantities;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.NodeLocalStorageStatus.DeviceInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.FilteredStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.LogicalVolume;
import io.openlocal.kube.crd.NodeLocalStorageStatus.MountPointInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.NodeStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.SpdkStore;
import io.openlocal.kube.crd.NodeLocalStorageStatus.StorageState;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Summary;
import io.openlocal.kube.crd.NodeLocalStorageStatus.UpdateStatusInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.VolumeGroup;
import io.openlocal.kube.spec.SpecProblem;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds an NLS status from one pass: everything discovered ({@code nodeStorageInfo}), what the spec's
 * listConfig lets be allocated ({@code filteredStorageInfo}), totals for kubectl ({@code summary}) and the
 * conditions. Pure: the same inputs give the same status.
 *
 * <p>Conditions of pools: a VG, mount point or lvstore with no free bytes is {@code DiskFull}; an exclusive
 * device or mount point in use (claimed, or holding data this system did not put there) is {@code DiskFull};
 * a device of size 0 (no medium) is {@code DiskFault}; everything else is {@code DiskReady}. When a backend
 * fails during a pass, its part of {@code nodeStorageInfo} is kept from the previous status rather than
 * reported empty, and the {@code Discovered} condition says so.
 */
public final class StatusAssembler {

    public static final String DISK_READY = "DiskReady";
    public static final String DISK_FULL = "DiskFull";
    public static final String DISK_FAULT = "DiskFault";
    public static final String PHASE_RUNNING = "Running";
    public static final String UPDATE_ACCEPTED = "accepted";
    public static final String UPDATE_FAILED = "failed";

    /** Everything one status is built from. */
    public record Inputs(NodeLocalStorageSpec spec, Long generation, List<SpecProblem> problems,
                         NodeInventory inventory, List<InitOutcome> outcomes, NodeLocalStorageStatus previous,
                         OffsetDateTime now) {
        public Inputs {
            problems = List.copyOf(problems);
            outcomes = List.copyOf(outcomes);
        }
    }

    public NodeLocalStorageStatus build(Inputs in) {
        NodeStorageInfo previousInfo = in.previous() == null ? null : in.previous().nodeStorageInfo();
        NodeInventory inv = in.inventory();

        List<DeviceInfo> devices = inv.answered(PoolType.DEVICE) || previousInfo == null
                ? inv.devices().stream().map(StatusAssembler::device).toList() : previousInfo.deviceInfo();
        List<VolumeGroup> vgs = inv.answered(PoolType.LVM) || previousInfo == null
                ? inv.volumeGroups().stream().map(StatusAssembler::volumeGroup).toList()
                : previousInfo.volumeGroups();
        List<MountPointInfo> mountPoints = inv.answered(PoolType.MOUNT_POINT) || previousInfo == null
                ? inv.mountPoints().stream().map(StatusAssembler::mountPoint).toList() : previousInfo.mountPoints();
        List<SpdkStore> stores = inv.answered(PoolType.SPDK) || previousInfo == null
                ? inv.spdkStores().stream().map(StatusAssembler::spdkStore).toList() : previousInfo.spdkStores();

        StorageState state = new StorageState(DISK_READY, Condition.TRUE, null, null, in.now(), null);
        NodeStorageInfo info = new NodeStorageInfo(devices, vgs, mountPoints, stores, PHASE_RUNNING, state);

        ListConfig list = in.spec() == null ? null : in.spec().listConfig();
        List<String> vgNames = NameSelection.select(vgs.stream().map(VolumeGroup::name).toList(), rules(list, "vgs"));
        List<String> mpNames = NameSelection.select(mountPoints.stream().map(MountPointInfo::name).toList(),
                rules(list, "mountPoints"));
        List<String> devNames = NameSelection.select(devices.stream().map(DeviceInfo::name).toList(),
                rules(list, "devices"));
        // SPDK lvstores take the place of VGs on SPDK nodes (as in Open-Local's SPDK mode): the vgs lists apply.
        List<String> storeNames = NameSelection.select(stores.stream().map(SpdkStore::name).toList(),
                rules(list, "vgs"));
        List<SpecProblem> listProblems = in.problems().stream()
                .filter(p -> p.field().startsWith("spec.listConfig")).toList();
        UpdateStatusInfo update = listProblems.isEmpty()
                ? new UpdateStatusInfo(in.now(), UPDATE_ACCEPTED, null)
                : new UpdateStatusInfo(in.now(), UPDATE_FAILED, join(listProblems.stream().map(Object::toString)));
        FilteredStorageInfo filtered = new FilteredStorageInfo(vgNames, mpNames, devNames, storeNames, update);

        long free = vgs.stream().filter(v -> vgNames.contains(v.name())).mapToLong(v -> nz(v.available())).sum();
        int freeDevices = (int) devices.stream()
                .filter(d -> devNames.contains(d.name()) && DISK_READY.equals(d.condition())).count();
        Summary summary = new Summary(vgNames.size(), Quantities.format(free), freeDevices);

        List<Condition> conditions = List.of(
                specValid(in), resourcesInitialized(in), discovered(in));
        return new NodeLocalStorageStatus(info, filtered, summary, conditions);
    }

    // ---- conditions ---------------------------------------------------------------------------------------------

    private static Condition specValid(Inputs in) {
        if (in.problems().isEmpty()) {
            return condition(in, Condition.SPEC_VALID, Condition.TRUE, "Valid", "the spec is valid");
        }
        return condition(in, Condition.SPEC_VALID, Condition.FALSE, "InvalidSpec",
                join(in.problems().stream().map(Object::toString)));
    }

    private static Condition resourcesInitialized(Inputs in) {
        if (in.outcomes().isEmpty()) {
            return condition(in, Condition.RESOURCES_INITIALIZED, Condition.TRUE, "NothingToInitialize",
                    "spec.resourceToBeInited lists nothing");
        }
        List<InitOutcome> bad = in.outcomes().stream().filter(o -> !o.result().satisfied()).toList();
        if (bad.isEmpty()) {
            return condition(in, Condition.RESOURCES_INITIALIZED, Condition.TRUE, "AllPresent",
                    in.outcomes().size() + " resource(s) of spec.resourceToBeInited exist");
        }
        Set<Result> results = bad.stream().map(InitOutcome::result).collect(Collectors.toSet());
        String reason = results.contains(Result.REFUSED) ? "InitRefused"
                : results.contains(Result.INVALID) ? "InvalidSpec" : "InitFailed";
        return condition(in, Condition.RESOURCES_INITIALIZED, Condition.FALSE, reason,
                join(bad.stream().map(o -> o.field() + ": " + o.message())));
    }

    private static Condition discovered(Inputs in) {
        Map<PoolType, String> failures = in.inventory().failures();
        if (failures.isEmpty()) {
            return condition(in, Condition.DISCOVERED, Condition.TRUE, "Discovered", "every backend answered");
        }
        return condition(in, Condition.DISCOVERED, Condition.FALSE, "DiscoveryFailed",
                join(Arrays.stream(PoolType.values()).filter(failures::containsKey)
                        .map(t -> t.volumeType() + ": " + failures.get(t))));
    }

    /** A condition whose transition time is kept from the previous status while its status is unchanged. */
    private static Condition condition(Inputs in, String type, String status, String reason, String message) {
        OffsetDateTime since = in.now();
        if (in.previous() != null) {
            Condition before = in.previous().condition(type);
            if (before != null && status.equals(before.status()) && before.lastTransitionTime() != null) {
                since = before.lastTransitionTime();
            }
        }
        return new Condition(type, status, reason, message, since, in.generation());
    }

    // ---- pools --------------------------------------------------------------------------------------------------

    private static DeviceInfo device(PoolInfo p) {
        String condition = p.capacity().totalBytes() == 0 ? DISK_FAULT : p.inUse() ? DISK_FULL : DISK_READY;
        return new DeviceInfo(p.name(), media(p.mediaType()), p.readOnly(), p.capacity().totalBytes(), condition);
    }

    private static VolumeGroup volumeGroup(NodeInventory.VolumeGroupInventory vg) {
        PoolInfo p = vg.pool();
        List<LogicalVolume> lvs = vg.volumes().stream()
                .map(v -> new LogicalVolume(v.ref().name(), p.name(), v.sizeBytes(), null, DISK_READY)).toList();
        return new VolumeGroup(p.name(), p.devices(), lvs, p.capacity().totalBytes(), p.capacity().availableBytes(),
                p.capacity().allocatableBytes(), p.capacity().availableBytes() == 0 ? DISK_FULL : DISK_READY);
    }

    private static MountPointInfo mountPoint(PoolInfo p) {
        String options = p.attributes().get("options");
        List<String> optionList = options == null || options.isEmpty() ? List.of()
                : Arrays.stream(options.split(",")).toList();
        // "available" is the filesystem's free space, as Open-Local reports it; the pool's own available figure
        // is 0 for a claimed mount point, which the condition (DiskFull) already says.
        long available = number(p.attributes().get("fsAvailableBytes"), p.capacity().availableBytes());
        String condition = p.inUse() || available == 0 ? DISK_FULL : DISK_READY;
        String device = p.attributes().getOrDefault("source", p.devices().isEmpty() ? null : p.devices().getFirst());
        return new MountPointInfo(p.name(), p.capacity().totalBytes(), available, p.attributes().get("fsType"),
                false, optionList, p.readOnly(), condition, device);
    }

    private static SpdkStore spdkStore(PoolInfo p) {
        long clusterSize = number(p.attributes().get("clusterSizeBytes"), -1);
        Long cluster = clusterSize < 0 ? null : clusterSize;
        String base = p.attributes().getOrDefault("baseBdev", p.devices().isEmpty() ? null : p.devices().getFirst());
        return new SpdkStore(p.name(), p.attributes().get("uuid"), base,
                p.capacity().totalBytes(), p.capacity().availableBytes(), cluster,
                p.capacity().availableBytes() == 0 ? DISK_FULL : DISK_READY);
    }

    /** A numeric attribute, or the fallback when it is absent or not a number (never guessed). */
    private static long number(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String media(MediaType type) {
        return type == MediaType.UNKNOWN ? null : type.label();
    }

    private static IncludeExclude rules(ListConfig list, String kind) {
        if (list == null) {
            return null;
        }
        return switch (kind) {
            case "vgs" -> list.vgs();
            case "mountPoints" -> list.mountPoints();
            default -> list.devices();
        };
    }

    private static long nz(Long value) {
        return value == null ? 0 : value;
    }

    private static String join(java.util.stream.Stream<String> parts) {
        List<String> all = new ArrayList<>(parts.toList());
        String text = String.join("; ", all);
        return text.length() > 4000 ? text.substring(0, 3997) + "..." : text;
    }
}
