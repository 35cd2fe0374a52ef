package io.openlocal.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.NodeLocalStorageStatus.DeviceInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.FilteredStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.NodeStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.StorageState;
import io.openlocal.kube.crd.NodeLocalStorageStatus.UpdateStatusInfo;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusComparisonTest {

    private static NodeLocalStorageStatus status(String time, long deviceSize, String conditionStatus) {
        OffsetDateTime t = OffsetDateTime.parse(time);
        return new NodeLocalStorageStatus(
                new NodeStorageInfo(List.of(new DeviceInfo("/dev/sdb", "ssd", false, deviceSize, "DiskReady")),
                        null, null, null, "Running", new StorageState("DiskReady", "True", null, null, t, null)),
                new FilteredStorageInfo(null, null, List.of("/dev/sdb"), null,
                        new UpdateStatusInfo(t, "accepted", null)),
                null, List.of(new Condition("SpecValid", conditionStatus, "Valid", "ok", t, 1L)));
    }

    @Test
    void onlyTimeStampsDifferingIsTheSame() {
        assertThat(StatusComparison.sameIgnoringTimes(status("2026-01-01T00:00:00Z", 10, "True"),
                status("2026-01-01T00:05:00Z", 10, "True"))).isTrue();
    }

    @Test
    void anyFigureOrConditionDifferingIsNotTheSame() {
        assertThat(StatusComparison.sameIgnoringTimes(status("2026-01-01T00:00:00Z", 10, "True"),
                status("2026-01-01T00:00:00Z", 11, "True"))).isFalse();
        assertThat(StatusComparison.sameIgnoringTimes(status("2026-01-01T00:00:00Z", 10, "True"),
                status("2026-01-01T00:00:00Z", 10, "False"))).isFalse();
        assertThat(StatusComparison.sameIgnoringTimes(null, status("2026-01-01T00:00:00Z", 10, "True"))).isFalse();
    }

    @Test
    void aStatusReadBackFromTheApiServerJsonIsTheSameAsTheOneWritten() {
        NodeLocalStorageStatus written = status("2026-01-01T00:00:00Z", 10, "True");
        JSON json = new JSON();
        String body = json.serialize(new NodeLocalStorage(null, null, written));
        NodeLocalStorage back = json.deserialize(body, NodeLocalStorage.class);
        NodeLocalStorageStatus read = back.getStatus();
        assertThat(StatusComparison.sameIgnoringTimes(written, read)).isTrue();
    }
}
