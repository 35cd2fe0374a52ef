package io.openlocal.launcher.status;

import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.NodeLocalStorageStatus.FilteredStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.NodeStorageInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns NodeLocalStorage objects into {@link NodeReport}s: what was discovered, and whether it may be allocated. */
public final class StatusReports {

    /** The agent's condition of an exclusive device or mount point that is in use. */
    static final String DISK_FULL = "DiskFull";

    private StatusReports() {
    }

    /** One report per NLS, sorted by node name. */
    public static List<NodeReport> of(List<NodeLocalStorage> items) {
        return items.stream().map(StatusReports::of).sorted(Comparator.comparing(NodeReport::node)).toList();
    }

    static NodeReport of(NodeLocalStorage nls) {
        String node = nls.getMetadata() == null ? "?" : nls.getMetadata().getName();
        NodeLocalStorageStatus status = nls.getStatus();
        if (status == null || status.nodeStorageInfo() == null) {
            return new NodeReport(node, false, null, null, List.of(), null);
        }
        NodeStorageInfo info = status.nodeStorageInfo();
        FilteredStorageInfo filtered = status.filteredStorageInfo() == null
                ? new FilteredStorageInfo(null, null, null, null, null) : status.filteredStorageInfo();
        List<PoolRow> rows = new ArrayList<>();
        for (var vg : info.volumeGroups()) {
            rows.add(new PoolRow("VG", vg.name(), vg.total(), vg.available(), vg.allocatable(),
                    String.join(",", vg.physicalVolumes()), null, filtered.volumeGroups().contains(vg.name()),
                    vg.condition()));
        }
        for (var device : info.deviceInfo()) {
            boolean used = DISK_FULL.equals(device.condition());
            Long free = device.total() == null ? null : used ? 0L : device.total();
            rows.add(new PoolRow("Device", device.name(), device.total(), free, null, device.mediaType(),
                    used ? "used" : "free", filtered.devices().contains(device.name()), device.condition()));
        }
        for (var mount : info.mountPoints()) {
            rows.add(new PoolRow("MountPoint", mount.name(), mount.total(), mount.available(), null, mount.fsType(),
                    DISK_FULL.equals(mount.condition()) ? "used" : "free",
                    filtered.mountPoints().contains(mount.name()), mount.condition()));
        }
        for (var store : info.spdkStores()) {
            rows.add(new PoolRow("SPDK", store.name(), store.total(), store.available(), null, store.baseBdev(),
                    null, filtered.spdkStores().contains(store.name()), store.condition()));
        }
        var state = info.state();
        return new NodeReport(node, true, state == null ? null : state.status(),
                state == null || state.lastHeartbeatTime() == null ? null
                        : state.lastHeartbeatTime().format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                rows, initializing(status));
    }

    /** The agent's current pool-initialisation step, from condition ResourcesInitialized while it is Initializing. */
    private static String initializing(NodeLocalStorageStatus status) {
        Condition init = status.condition(Condition.RESOURCES_INITIALIZED);
        return init != null && Condition.INITIALIZING.equals(init.reason()) ? init.message() : null;
    }
}
