package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.lvm.capacity.Allocation;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.volume.Layout;
import io.openlocal.lvm.volume.LvNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayoutTest {

    private static final long MiB = 1024 * 1024;

    @Test
    void parametersSelectTheLayout() {
        assertThat(Layout.fromParameters(Map.of())).isEqualTo(Layout.LINEAR);
        assertThat(Layout.fromParameters(Map.of("stripes", "1"))).isEqualTo(Layout.LINEAR);
        assertThat(Layout.fromParameters(Map.of("stripes", "3")))
                .isEqualTo(new Layout(LvKind.STRIPED, 3, 64 * 1024, ""));
        assertThat(Layout.fromParameters(Map.of("lvType", "striped", "stripes", "2", "stripeSizeBytes", "4096")))
                .isEqualTo(new Layout(LvKind.STRIPED, 2, 4096, ""));
        assertThat(Layout.fromParameters(Map.of("thinPool", "local-pool")))
                .isEqualTo(new Layout(LvKind.THIN, 1, 0, "local-pool"));
        assertThat(Layout.fromParameters(Map.of("lvType", "thin-pool")).kind()).isEqualTo(LvKind.THIN_POOL);
    }

    @Test
    void contradictoryParametersNameTheKey() {
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("lvType", "thin"), "thinPool",
                Map.of("lvType", "thin", "thinPool", "p", "stripes", "2"), "stripes",
                Map.of("lvType", "thin-pool", "thinPool", "p"), "thinPool",
                Map.of("thinPool", "a/b"), "thinPool",
                Map.of("stripes", "0"), "stripes",
                Map.of("stripes", "129"), "stripes",
                Map.of("stripes", "2", "stripeSizeBytes", "65535"), "stripeSizeBytes",
                Map.of("lvType", "LINEAR"), "lvType");
        bad.forEach((parameters, key) -> assertThatThrownBy(() -> Layout.fromParameters(parameters))
                .as("%s", parameters).isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining(key));
    }

    @Test
    void sizesRoundToExtentsAndStripeBoundariesWithoutOverflow() {
        assertThat(Allocation.roundUp("s", 1, 4 * MiB, 1)).isEqualTo(4 * MiB);
        assertThat(Allocation.roundUp("s", 4 * MiB, 4 * MiB, 1)).isEqualTo(4 * MiB);
        assertThat(Allocation.roundUp("s", 10 * MiB, 4 * MiB, 3)).isEqualTo(12 * MiB);
        assertThat(Allocation.roundUp("s", 13 * MiB, 4 * MiB, 3)).isEqualTo(24 * MiB);
        assertThatThrownBy(() -> Allocation.roundUp("s", Long.MAX_VALUE - 1, 4 * MiB, 1))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> Allocation.roundUp("s", 0, 4 * MiB, 1))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(Allocation.thinPoolMetadataBytes(40 * MiB, 4 * MiB)).isEqualTo(4 * MiB);
        assertThat(Allocation.thinPoolMetadataBytes(100L << 30, 4 * MiB)).isEqualTo(100 * MiB);
    }

    @Test
    void deviceMapperNameLimitCountsDoubledHyphens() {
        LvNames.requireDeviceMapperNameFits("name", "vg", "local-" + "x".repeat(117)); // vg-local--xxx: exactly 127
        assertThatThrownBy(() -> LvNames.requireDeviceMapperNameFits("name", "vg", "local-" + "x".repeat(118)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("device-mapper");
    }
}
