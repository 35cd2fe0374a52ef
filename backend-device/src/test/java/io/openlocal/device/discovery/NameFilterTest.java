package io.openlocal.device.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.device.DeviceSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class NameFilterTest {

    @Test
    void defaultIncludeMatchesOpenLocalsDiskNamesOnly() {
        NameFilter filter = DeviceSettings.defaults().devices();
        assertThat(filter.accepts("sdb", "/dev/sdb")).isTrue();
        assertThat(filter.accepts("vdc", "/dev/vdc")).isTrue();
        assertThat(filter.accepts("xvdf", "/dev/xvdf")).isTrue();
        assertThat(filter.accepts("sdb1", "/dev/sdb1")).isFalse();
        assertThat(filter.accepts("nvme0n1", "/dev/nvme0n1")).isFalse();
        assertThat(filter.accepts("loop3", "/dev/loop3")).isFalse();
    }

    @Test
    void excludeWinsOverIncludeAndPathsMatchToo() {
        NameFilter filter = NameFilter.of("device.include", "^loop[0-9]+$", "device.exclude", "^/dev/loop1$");
        assertThat(filter.accepts("loop0", "/dev/loop0")).isTrue();
        assertThat(filter.accepts("loop1", "/dev/loop1")).isFalse();
        NameFilter byPath = NameFilter.of("device.include", "^/dev/vd[b-c]$", "device.exclude", "");
        assertThat(byPath.accepts("vdb", "/dev/vdb")).isTrue();
        assertThat(byPath.accepts("vdd", "/dev/vdd")).isFalse();
    }

    @Test
    void invalidPatternNamesTheSetting() {
        assertThatThrownBy(() -> NameFilter.of("device.include", "^(sd", "device.exclude", null))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("device.include:");
        assertThatThrownBy(() -> NameFilter.of("device.include", ".*", "device.exclude", "[z-a]"))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("device.exclude:");
    }

    @Test
    void listsOfPatternsJoinIntoOne() {
        String joined = NameFilter.anyOf("devices.include", List.of("^sd[b-c]$", "/dev/vdc"));
        NameFilter filter = NameFilter.of("device.include", joined, "device.exclude", null);
        assertThat(filter.accepts("sdb", "/dev/sdb")).isTrue();
        assertThat(filter.accepts("vdc", "/dev/vdc")).isTrue();
        assertThat(filter.accepts("sdd", "/dev/sdd")).isFalse();
        assertThatThrownBy(() -> NameFilter.anyOf("devices.include", List.of("ok", "(")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("devices.include");
    }
}
