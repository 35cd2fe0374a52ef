package io.openlocal.device.selection;

import static io.openlocal.backend.naming.Sizes.GiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmallestFitTest {

    private static PoolInfo disk(String name, long size, MediaType media, boolean inUse) {
        return new PoolInfo(name, PoolType.DEVICE, new Capacity(size, size, inUse ? 0 : size), List.of(name), media,
                false, inUse, Map.of());
    }

    private static final List<PoolInfo> NODE = List.of(
            disk("/dev/sdb", 100 * GiB, MediaType.HDD, false),
            disk("/dev/sdc", 50 * GiB, MediaType.HDD, false),
            disk("/dev/sdd", 200 * GiB, MediaType.SSD, false),
            disk("/dev/sde", 60 * GiB, MediaType.SSD, true),
            disk("/dev/sdf", 80 * GiB, MediaType.SSD, false));

    @Test
    void picksTheSmallestFreeDeviceThatFits() {
        assertThat(SmallestFit.pick(NODE, new DeviceRequest(40 * GiB, Optional.empty())))
                .get().extracting(PoolInfo::name).isEqualTo("/dev/sdc");
        assertThat(SmallestFit.pick(NODE, new DeviceRequest(60 * GiB, Optional.empty())))
                .get().extracting(PoolInfo::name).isEqualTo("/dev/sdf");
    }

    @Test
    void mediaTypeNarrowsTheChoiceAndDevicesInUseAreSkipped() {
        assertThat(SmallestFit.pick(NODE, new DeviceRequest(10 * GiB, Optional.of(MediaType.SSD))))
                .get().extracting(PoolInfo::name).isEqualTo("/dev/sdf");
        assertThat(SmallestFit.pick(NODE, new DeviceRequest(90 * GiB, Optional.of(MediaType.HDD))))
                .get().extracting(PoolInfo::name).isEqualTo("/dev/sdb");
        assertThat(SmallestFit.pick(NODE, new DeviceRequest(150 * GiB, Optional.of(MediaType.HDD)))).isEmpty();
    }

    @Test
    void exactSizeFitsAndOneByteMoreDoesNot() {
        assertThat(SmallestFit.pick(NODE, new DeviceRequest(200 * GiB, Optional.empty())))
                .get().extracting(PoolInfo::name).isEqualTo("/dev/sdd");
        assertThat(SmallestFit.pick(NODE, new DeviceRequest(200 * GiB + 1, Optional.empty()))).isEmpty();
    }

    @Test
    void equalSizesAreBrokenByNameNotByOrder() {
        List<PoolInfo> twins = List.of(disk("/dev/sdz", 10 * GiB, MediaType.HDD, false),
                disk("/dev/sdy", 10 * GiB, MediaType.HDD, false));
        assertThat(SmallestFit.pick(twins, new DeviceRequest(GiB, Optional.empty())))
                .get().extracting(PoolInfo::name).isEqualTo("/dev/sdy");
    }

    @Test
    void readOnlyDeviceNeverFits() {
        PoolInfo ro = new PoolInfo("/dev/sdx", PoolType.DEVICE, Capacity.of(GiB, GiB), List.of(), MediaType.HDD,
                true, false, Map.of());
        assertThat(SmallestFit.fits(ro, new DeviceRequest(1, Optional.empty()))).isFalse();
    }

    @Test
    void severalRequestsGetDistinctDevicesWhenTheyAllFit() {
        List<DeviceRequest> requests = List.of(new DeviceRequest(90 * GiB, Optional.empty()),
                new DeviceRequest(45 * GiB, Optional.of(MediaType.HDD)),
                new DeviceRequest(70 * GiB, Optional.empty()));
        assertThat(SmallestFit.assign(NODE, requests).orElseThrow()).extracting(PoolInfo::name)
                .containsExactly("/dev/sdb", "/dev/sdc", "/dev/sdf");
        List<DeviceRequest> tooMany = List.of(new DeviceRequest(150 * GiB, Optional.empty()),
                new DeviceRequest(150 * GiB, Optional.empty()));
        assertThat(SmallestFit.assign(NODE, tooMany)).isEmpty();
    }

    @Test
    void smallestFirstAssignmentDoesNotWasteTheLargeDisk() {
        // Naive largest-first-on-first-fit would give the 200 GiB disk to the 60 GiB request and fail the 150.
        List<DeviceRequest> requests = List.of(new DeviceRequest(60 * GiB, Optional.of(MediaType.SSD)),
                new DeviceRequest(150 * GiB, Optional.of(MediaType.SSD)));
        assertThat(SmallestFit.assign(NODE, requests).orElseThrow()).extracting(PoolInfo::name)
                .containsExactly("/dev/sdf", "/dev/sdd");
    }

    @Test
    void parametersAreCheckedExactly() {
        assertThat(DeviceRequest.fromParameters(GiB, Map.of("mediaType", "ssd")).mediaType()).contains(MediaType.SSD);
        assertThat(DeviceRequest.fromParameters(GiB, Map.of()).mediaType()).isEmpty();
        assertThatThrownBy(() -> DeviceRequest.fromParameters(GiB, Map.of("mediaType", "SSD")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("mediaType");
        assertThatThrownBy(() -> DeviceRequest.checkParameters(Map.of("vgName", "x")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("vgName");
        assertThatThrownBy(() -> new DeviceRequest(0, Optional.empty()))
                .isInstanceOf(StorageException.InvalidArgument.class);
    }
}
