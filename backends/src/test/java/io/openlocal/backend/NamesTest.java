package io.openlocal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", ".", "-rf", "--force", "has space", "a;rm", "$(x)", "a`b`", "a|b",
            "a\nb", "a\0b", "", "ünïcode", "a*", "/abs"})
    void hostileObjectNamesAreRejectedNamingTheField(String name) {
        assertThatThrownBy(() -> Names.requireObjectName("volume name", name, 64))
                .isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageStartingWith("volume name:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-pvc-1", "vg0", "A.b_c+d-1", "0abc"})
    void ordinaryObjectNamesPass(String name) {
        assertThat(Names.requireObjectName("name", name, 64)).isEqualTo(name);
    }

    @org.junit.jupiter.api.Test
    void overlongNameIsRejected() {
        assertThatThrownBy(() -> Names.requireObjectName("name", "a".repeat(65), 64))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("longer than 64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/../etc/passwd", "dev/sdb", "/dev/sdb/..", "/dev//sdb", "/etc/passwd",
            "/dev/-sdb", "/dev/sd b", "/dev/", "/dev/./sdb"})
    void badDevicePathsAreRejected(String path) {
        assertThatThrownBy(() -> Names.requireDevicePath("devices[0]", path))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("devices[0]:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/sdb", "/dev/loop7", "/dev/nvme0n1", "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4",
            "/dev/mapper/vg0-lv1"})
    void devicePathsPass(String path) {
        assertThat(Names.requireDevicePath("device", path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/kubelet/../../etc", "/var/lib/kubeletx/pods", "relative/path", "/etc",
            "/var/lib/kubelet//pods", "/var/lib/kubelet"})
    void pathsOutsideTheRootAreRejected(String path) {
        assertThatThrownBy(() -> Names.requirePathUnder("target_path", path, Path.of("/var/lib/kubelet"), false))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("target_path:");
    }

    @org.junit.jupiter.api.Test
    void pathUnderTheRootPasses() {
        assertThat(Names.requirePathUnder("target_path", "/var/lib/kubelet/pods/x/volumes/y",
                Path.of("/var/lib/kubelet"), false)).isEqualTo(Path.of("/var/lib/kubelet/pods/x/volumes/y"));
    }
}
