package io.openlocal.backend.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountTableTest {

    private static final String SAMPLE = String.join("\n",
            "22 1 0:21 / /proc rw,relatime shared:12 - proc proc rw",
            "24 1 0:6 / /dev rw,nosuid shared:2 - devtmpfs udev rw,size=100k,mode=755",
            "30 1 7:3 / /mnt/open-local/with\\040space rw,relatime shared:7 master:1 - ext4 /dev/loop3 rw",
            "31 1 7:3 /sub/dir /var/lib/kubelet/pods/a/vol ro,relatime - ext4 /dev/loop3 rw",
            "32 24 0:6 /loop3 /var/lib/kubelet/block/b rw,nosuid - devtmpfs udev rw,size=100k",
            "33 1 7:4 / /stack rw - xfs /dev/loop4 rw",
            "34 33 7:5 / /stack rw - xfs /dev/loop5 rw,attr2",
            "35 1 8:0 / /back\\134slash\\012nl\\011tab rw - ext4 /dev/sd\\040a rw",
            "");

    @Test
    void parsesEveryFieldOfALine() {
        MountEntry entry = MountTable.parse(SAMPLE).entries().get(2);
        assertThat(entry.mountId()).isEqualTo(30);
        assertThat(entry.parentId()).isEqualTo(1);
        assertThat(entry.device()).isEqualTo(new DeviceNumber(7, 3));
        assertThat(entry.root()).isEqualTo("/");
        assertThat(entry.target()).isEqualTo(Path.of("/mnt/open-local/with space"));
        assertThat(entry.mountOptions()).containsExactly("rw", "relatime");
        assertThat(entry.optionalFields()).containsExactly("shared:7", "master:1");
        assertThat(entry.fsType()).isEqualTo("ext4");
        assertThat(entry.source()).isEqualTo("/dev/loop3");
        assertThat(entry.superOptions()).containsExactly("rw");
        assertThat(entry.readOnly()).isFalse();
    }

    @Test
    void decodesOctalEscapesForBackslashNewlineTabAndSpace() {
        MountEntry entry = MountTable.parse(SAMPLE).entries().get(7);
        assertThat(entry.target()).isEqualTo(Path.of("/back\\slash\nnl\ttab"));
        assertThat(entry.source()).isEqualTo("/dev/sd a");
        assertThat(MountTable.unescape("caf\\303\\251")).isEqualTo("café");
        assertThat(MountTable.unescape("no\\escape\\9")).isEqualTo("no\\escape\\9");
    }

    @Test
    void lineWithoutOptionalFieldsParses() {
        MountEntry entry = MountTable.parse(SAMPLE).entries().get(3);
        assertThat(entry.optionalFields()).isEmpty();
        assertThat(entry.readOnly()).isTrue();
        assertThat(entry.root()).isEqualTo("/sub/dir");
    }

    @Test
    void mountAtReturnsTheTopOfStackedMounts() {
        MountTable table = MountTable.parse(SAMPLE);
        assertThat(table.mountAt(Path.of("/stack"))).get().extracting(MountEntry::source).isEqualTo("/dev/loop5");
        assertThat(table.mountsAt(Path.of("/stack"))).hasSize(2);
        assertThat(table.mountAt(Path.of("/nothing"))).isEmpty();
    }

    @Test
    void mountsOfADeviceIncludeItsBindMounts() {
        MountTable table = MountTable.parse(SAMPLE);
        assertThat(table.mountsOf(new DeviceNumber(7, 3))).extracting(MountEntry::mountId).containsExactly(30, 31);
    }

    @Test
    void bindMountOfADeviceNodeIsFoundThroughDevtmpfsRoot() {
        MountTable table = MountTable.parse(SAMPLE);
        assertThat(table.mountsShowing(Path.of("/dev/loop3"))).extracting(MountEntry::mountId).containsExactly(32);
        assertThat(table.mountsShowing(Path.of("/dev/loop9"))).isEmpty();
    }

    @Test
    void containingPicksTheDeepestMount() {
        MountTable table = MountTable.parse(SAMPLE);
        assertThat(table.containing(Path.of("/dev/loop3"))).get().extracting(MountEntry::mountId).isEqualTo(24);
        assertThat(table.containing(Path.of("/stack/x"))).get().extracting(MountEntry::mountId).isEqualTo(34);
        assertThat(table.containing(Path.of("/elsewhere"))).isEmpty();
    }

    @Test
    void malformedLineIsAnInternalErrorNamingTheLine() {
        assertThatThrownBy(() -> MountTable.parse("1 2 3:4 / /x rw\n"))
                .isInstanceOf(StorageException.Internal.class).hasMessageContaining("line 1");
    }

    @Test
    void readsThisProcessesRealMountTable() {
        MountTable table = MountTable.read();
        assertThat(table.mountAt(Path.of("/proc"))).get().extracting(MountEntry::fsType).isEqualTo("proc");
    }

    @Test
    void deviceNumberDecodesKernelDevT() {
        assertThat(DeviceNumber.fromDevT(0x0703L)).isEqualTo(new DeviceNumber(7, 3));
        // Large minors spill into the high bits (glibc's makedev encoding).
        assertThat(DeviceNumber.fromDevT((259L << 8) | 0x12L | (0x3L << 20))).isEqualTo(new DeviceNumber(259, 0x312));
        assertThat(DeviceNumber.parse("259:1")).isEqualTo(new DeviceNumber(259, 1));
        assertThatThrownBy(() -> DeviceNumber.parse("x")).isInstanceOf(StorageException.Internal.class);
    }
}
