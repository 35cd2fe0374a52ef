package io.openlocal.agent.status;

import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.NodeLocalStorageStatus.FilteredStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.NodeStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.StorageState;
import io.openlocal.kube.crd.NodeLocalStorageStatus.UpdateStatusInfo;
import java.util.Objects;

/**
 * Whether two statuses say the same thing. Time stamps (heartbeat, last update, transition times) are left
 * out, as Open-Local's agent leaves them out: a status is written only when something else changed, which
 * keeps a large cluster's API server quiet.
 */
public final class StatusComparison {

    private StatusComparison() {
    }

    public static boolean sameIgnoringTimes(NodeLocalStorageStatus a, NodeLocalStorageStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(withoutTimes(a), withoutTimes(b));
    }

    static NodeLocalStorageStatus withoutTimes(NodeLocalStorageStatus s) {
        NodeStorageInfo info = s.nodeStorageInfo();
        if (info != null) {
            StorageState st = info.state();
            info = new NodeStorageInfo(info.deviceInfo(), info.volumeGroups(), info.mountPoints(), info.spdkStores(),
                    info.phase(), st == null ? null : new StorageState(st.type(), st.status(), st.reason(),
                    st.message(), null, null));
        }
        FilteredStorageInfo f = s.filteredStorageInfo();
        if (f != null) {
            UpdateStatusInfo u = f.updateStatusInfo();
            f = new FilteredStorageInfo(f.volumeGroups(), f.mountPoints(), f.devices(), f.spdkStores(),
                    u == null ? null : new UpdateStatusInfo(null, u.updateStatus(), emptyToNull(u.reason())));
        }
        var conditions = s.conditions().stream()
                .map(c -> new Condition(c.type(), c.status(), c.reason(), c.message(), null, c.observedGeneration()))
                .toList();
        return new NodeLocalStorageStatus(info, f, s.summary(), conditions);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
