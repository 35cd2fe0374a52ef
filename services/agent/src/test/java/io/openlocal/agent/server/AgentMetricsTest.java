package io.openlocal.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.agent.node.PassResult;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.DeviceInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.FilteredStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.LogicalVolume;
import io.openlocal.kube.crd.NodeLocalStorageStatus.NodeStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.VolumeGroup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool metrics carry the names and labels the chart's dashboard plots. */
class AgentMetricsTest {

    @Test
    void poolCapacityFreeAndVolumeCountsPerNodeAndPool() {
        AgentMetrics metrics = new AgentMetrics("node-1", () -> 0, () -> 0);
        var status = new NodeLocalStorageStatus(new NodeStorageInfo(
                List.of(new DeviceInfo("/dev/sdb", "ssd", false, 1000L, "DiskReady"),
                        new DeviceInfo("/dev/sdc", "hdd", false, 2000L, "DiskFull")),
                List.of(new VolumeGroup("vg0", List.of("/dev/sdd"),
                        List.of(new LogicalVolume("local-a", "vg0", 100L, false, "DiskReady")), 4096L, 3996L, 4096L,
                        "DiskReady")),
                null, null, "Running", null),
                new FilteredStorageInfo(List.of("vg0"), null, List.of("/dev/sdb", "/dev/sdc"), null, null), null);

        metrics.passSucceeded(Duration.ofMillis(5), new PassResult(status, List.of(), null, List.of(), false), true, 1);

        String text = metrics.scrape();
        assertThat(text).contains("openlocal_pool_capacity_bytes{node=\"node-1\",pool=\"vg0\",type=\"LVM\"} 4096.0")
                .contains("openlocal_pool_free_bytes{node=\"node-1\",pool=\"vg0\",type=\"LVM\"} 3996.0")
                .contains("openlocal_pool_free_bytes{node=\"node-1\",pool=\"/dev/sdb\",type=\"Device\"} 1000.0")
                .contains("openlocal_pool_free_bytes{node=\"node-1\",pool=\"/dev/sdc\",type=\"Device\"} 0.0")
                .contains("openlocal_volumes{node=\"node-1\",pool=\"vg0\"} 1.0");
    }
}
