package io.openlocal.backend.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountOptionsTest {

    @Test
    void ordinaryFilesystemOptionsPass() {
        assertThat(MountOptions.parse("mountOptions", "noatime,discard,commit=30,errors=remount-ro,user_xattr"))
                .containsExactly("noatime", "discard", "commit=30", "errors=remount-ro", "user_xattr");
        assertThat(MountOptions.parse("mountOptions", "context=system_u:object_r:container_file_t:s0"))
                .hasSize(1);
        assertThat(MountOptions.parse("mountOptions", "")).isEmpty();
        assertThat(MountOptions.parse("mountOptions", null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bind", "rbind", "remount", "move", "loop", "loop=/dev/loop1", "offset=0", "user",
            "helper=x", "X-mount.mkdir", "x-systemd.automount", "make-shared", "defaults"})
    void optionsThatChangeWhatMountDoesAreRefused(String option) {
        assertThatThrownBy(() -> MountOptions.check("mountOptions", List.of(option)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("mountOptions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "noatime;reboot", "$(id)", "`x`", "a=b c", "-o", "a\nb", "A=1", "opt=a,b"})
    void malformedOptionsAreRefused(String option) {
        assertThatThrownBy(() -> MountOptions.check("mountOptions", List.of(option)))
                .isInstanceOf(StorageException.InvalidArgument.class);
    }

    @Test
    void emptyElementInAListIsRefused() {
        assertThatThrownBy(() -> MountOptions.parse("mountOptions", "noatime,,discard"))
                .isInstanceOf(StorageException.InvalidArgument.class);
    }
}
