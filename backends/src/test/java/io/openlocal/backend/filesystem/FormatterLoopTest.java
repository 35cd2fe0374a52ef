package io.openlocal.backend.filesystem;

import static io.openlocal.backend.naming.Sizes.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FormatterLoopTest {

    @RegisterExtension
    static final TestLoops loops = new TestLoops();

    private final CountingRunner runner = new CountingRunner();
    private final BlockProbe probe = new BlockProbe(runner);
    private final Formatter formatter = new Formatter(runner, probe, Formatter.DEFAULT_TIMEOUT);

    @Test
    void formatsBlankDeviceAsExt4WithLabel() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.withLabel("data-1"));
        BlockContent content = probe.probe(loop.path());
        assertThat(content.type()).contains("ext4");
        assertThat(content.label()).contains("data-1");
        assertThat(content.uuid()).isPresent();
    }

    @Test
    void formatsBlankDeviceAsXfs() {
        TestLoops.Loop loop = loops.create(320 * MiB);
        formatter.format(loop.path(), FsType.XFS, FormatOptions.none());
        assertThat(probe.probe(loop.path()).type()).contains("xfs");
    }

    @Test
    void refusesToFormatDeviceWithAnyFilesystemAndLeavesItUnchanged() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT2, FormatOptions.none());
        BlockContent before = probe.probe(loop.path());
        assertThatThrownBy(() -> formatter.format(loop.path(), FsType.EXT4, FormatOptions.none()))
                .isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("ext2").hasMessageContaining("refusing to format");
        assertThatThrownBy(() -> formatter.format(loop.path(), FsType.EXT2, FormatOptions.none()))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(probe.probe(loop.path())).isEqualTo(before);
    }

    @Test
    void refusesDeviceWithPartitionTableAndLeavesItUnchanged() throws Exception {
        TestLoops.Loop loop = loops.create(64 * MiB);
        Mbr.write(loop.file());
        BlockContent before = probe.probe(loop.path());
        assertThat(before.ptType()).contains("dos");
        assertThatThrownBy(() -> formatter.formatIfBlank(loop.path(), FsType.EXT4, FormatOptions.none()))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("partition table");
        assertThat(probe.probe(loop.path())).isEqualTo(before);
    }

    @Test
    void formatIfBlankFormatsOnceThenReportsTheFilesystemIsThere() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        assertThat(formatter.formatIfBlank(loop.path(), FsType.EXT4, FormatOptions.none())).isTrue();
        String uuid = probe.probe(loop.path()).uuid().orElseThrow();
        runner.reset();
        assertThat(formatter.formatIfBlank(loop.path(), FsType.EXT4, FormatOptions.none())).isFalse();
        assertThat(runner.programs()).doesNotContain("mkfs.ext4");
        assertThat(probe.probe(loop.path()).uuid()).contains(uuid);
    }

    @Test
    void formatIfBlankRefusesAnotherFilesystemType() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        assertThatThrownBy(() -> formatter.formatIfBlank(loop.path(), FsType.EXT3, FormatOptions.none()))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("ext4");
    }

    @Test
    void blankDeviceWhoseNodeIsBoundIntoAPodIsBusy() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        Path dir = loops.directory("pod");
        new Mounter(runner).bindMount(loop.path(), dir.resolve("block").toString(), false);
        assertThatThrownBy(() -> formatter.format(loop.path(), FsType.EXT4, FormatOptions.none()))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("mounted");
        assertThat(probe.probe(loop.path()).isBlank()).isTrue();
    }

    @Test
    void badInputIsRefusedBeforeAnyCommandRuns() {
        for (String device : List.of("/dev/../etc/passwd", "relative", "/dev/loop0;reboot", "/dev/-rf",
                "/dev/a b", "/etc/passwd", "")) {
            assertThatThrownBy(() -> formatter.format(device, FsType.EXT4, FormatOptions.none()))
                    .as(device).isInstanceOf(StorageException.InvalidArgument.class);
        }
        assertThatThrownBy(() -> formatter.format("/dev/definitely-missing", FsType.EXT4, FormatOptions.none()))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> formatter.format("/dev/null", FsType.EXT4, FormatOptions.none()))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("not a block device");
        assertThatThrownBy(() -> FormatOptions.withLabel("-L x")).isInstanceOf(StorageException.InvalidArgument.class);
        TestLoops.Loop loop = loops.create(64 * MiB);
        assertThatThrownBy(() -> formatter.format(loop.path(), FsType.XFS, FormatOptions.withLabel("thirteen-char")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("12");
        assertThatThrownBy(() -> FsType.fromName("fsType", "ntfs")).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(runner.programs()).isEmpty();
        assertThat(probe.probe(loop.path()).isBlank()).isTrue();
    }

    @Test
    void probeAllUsesOneProcessForManyDevices() {
        TestLoops.Loop a = loops.create(64 * MiB);
        TestLoops.Loop b = loops.create(64 * MiB);
        TestLoops.Loop c = loops.create(64 * MiB);
        formatter.format(a.path(), FsType.EXT4, FormatOptions.none());
        runner.reset();
        var all = probe.probeAll(List.of(a.path(), b.path(), c.path()));
        assertThat(runner.programs()).containsExactly("blkid");
        assertThat(all.get(a.path()).type()).contains("ext4");
        assertThat(all.get(b.path()).isBlank()).isTrue();
        assertThat(all.get(c.path()).isBlank()).isTrue();
    }
}
