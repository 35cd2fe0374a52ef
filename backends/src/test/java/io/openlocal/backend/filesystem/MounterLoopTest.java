package io.openlocal.backend.filesystem;

import static io.openlocal.backend.naming.Sizes.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MounterLoopTest {

    @RegisterExtension
    static final TestLoops loops = new TestLoops();

    private final CountingRunner runner = new CountingRunner();
    private final BlockProbe probe = new BlockProbe(runner);
    private final Formatter formatter = new Formatter(runner, probe, Formatter.DEFAULT_TIMEOUT);
    private final Mounter mounter = new Mounter(runner);

    @Test
    void mountsExt4WritesAndReadsBackThenUnmountsTwice() throws Exception {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        assertThat(mounter.mount(loop.path(), target.toString(), "ext4", List.of("noatime"), false)).isTrue();
        MountEntry entry = mounter.mountOf(target.toString()).orElseThrow();
        assertThat(entry.source()).isEqualTo(loop.path());
        assertThat(entry.fsType()).isEqualTo("ext4");
        assertThat(entry.mountOptions()).contains("noatime");
        assertThat(probe.isMounted(loop.path())).isTrue();

        Files.writeString(target.resolve("hello.txt"), "written through ext4");
        assertThat(mounter.unmount(target.toString())).isTrue();
        assertThat(Files.exists(target.resolve("hello.txt"))).isFalse();
        assertThat(mounter.unmount(target.toString())).isFalse();
        assertThat(probe.isMounted(loop.path())).isFalse();

        mounter.mount(loop.path(), target.toString(), "ext4", List.of(), true);
        assertThat(Files.readString(target.resolve("hello.txt"))).isEqualTo("written through ext4");
        assertThat(mounter.mountOf(target.toString()).orElseThrow().readOnly()).isTrue();
        mounter.unmount(target.toString());
    }

    @Test
    void mountsXfs() throws Exception {
        TestLoops.Loop loop = loops.create(320 * MiB);
        formatter.format(loop.path(), FsType.XFS, FormatOptions.none());
        Path target = loops.directory("mnt");
        mounter.mount(loop.path(), target.toString(), "xfs", List.of(), false);
        Files.writeString(target.resolve("x"), "xfs data");
        mounter.unmount(target.toString());
        mounter.mount(loop.path(), target.toString(), "xfs", List.of(), false);
        assertThat(Files.readString(target.resolve("x"))).isEqualTo("xfs data");
        assertThat(mounter.unmount(target.toString())).isTrue();
        assertThat(mounter.unmount(target.toString())).isFalse();
    }

    @Test
    void mountingTheSameDeviceAgainIsANoOpAndAnotherDeviceIsBusy() throws Exception {
        TestLoops.Loop a = loops.create(64 * MiB);
        TestLoops.Loop b = loops.create(64 * MiB);
        formatter.format(a.path(), FsType.EXT4, FormatOptions.none());
        formatter.format(b.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        assertThat(mounter.mount(a.path(), target.toString(), "ext4", List.of(), false)).isTrue();
        runner.reset();
        assertThat(mounter.mount(a.path(), target.toString(), "ext4", List.of(), false)).isFalse();
        assertThat(runner.programs()).isEmpty();
        assertThatThrownBy(() -> mounter.mount(a.path(), target.toString(), "ext4", List.of(), true))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("read-write");
        assertThatThrownBy(() -> mounter.mount(b.path(), target.toString(), "ext4", List.of(), false))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining(a.path());
        assertThat(MountTable.read().mountsAt(target.toRealPath())).hasSize(1);
    }

    @Test
    void bindMountsADirectoryReadOnly() throws Exception {
        Path source = loops.directory("src");
        Files.writeString(source.resolve("f"), "bound");
        Path target = loops.directory("pod").resolve("vol");
        assertThat(mounter.bindMount(source.toString(), target.toString(), true)).isTrue();
        assertThat(Files.readString(target.resolve("f"))).isEqualTo("bound");
        assertThat(mounter.mountOf(target.toString()).orElseThrow().readOnly()).isTrue();
        assertThatThrownBy(() -> Files.writeString(target.resolve("g"), "no")).isInstanceOf(java.io.IOException.class);
        assertThat(mounter.bindMount(source.toString(), target.toString(), true)).isFalse();
        assertThatThrownBy(() -> mounter.bindMount(source.toString(), target.toString(), false))
                .isInstanceOf(StorageException.Busy.class);
        assertThat(mounter.unmount(target.toString())).isTrue();
        assertThat(mounter.unmount(target.toString())).isFalse();
    }

    @Test
    void bindsARawBlockDeviceNodeOntoAFileAndDataFlowsThroughIt() throws Exception {
        TestLoops.Loop loop = loops.create(64 * MiB);
        Path target = loops.directory("pod").resolve("dev-file");
        assertThat(mounter.bindMount(loop.path(), target.toString(), false)).isTrue();
        assertThat(Files.isDirectory(target)).isFalse();
        byte[] payload = "raw block payload".getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile raf = new RandomAccessFile(target.toFile(), "rw")) {
            raf.seek(MiB);
            raf.write(payload);
            raf.getFD().sync();
        }
        try (RandomAccessFile raf = new RandomAccessFile(loop.path(), "r")) {
            byte[] back = new byte[payload.length];
            raf.seek(MiB);
            raf.readFully(back);
            assertThat(back).isEqualTo(payload);
        }
        assertThat(probe.isMounted(loop.path())).as("a bound device node counts as mounted").isTrue();
        assertThat(mounter.bindMount(loop.path(), target.toString(), false)).isFalse();
        assertThat(mounter.unmount(target.toString())).isTrue();
        assertThat(probe.isMounted(loop.path())).isFalse();
    }

    @Test
    void badInputIsRefusedBeforeAnyCommandRuns() {
        Path target = loops.directory("mnt");
        TestLoops.Loop loop = loops.create(64 * MiB);
        runner.reset();
        assertThatThrownBy(() -> mounter.mount(loop.path(), "relative/dir", "ext4", List.of(), false))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> mounter.mount(loop.path(), target + "/../x", "ext4", List.of(), false))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> mounter.mount(loop.path(), target.toString(), "ext4;id", List.of(), false))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> mounter.mount(loop.path(), target.toString(), "ext4", List.of("bind"), false))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> mounter.mount(loop.path(), target.toString(), "ext4", List.of("ro"), false))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> mounter.mount("/dev/../etc", target.toString(), "ext4", List.of(), false))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> mounter.mount(loop.path(), target.resolve("missing").toString(), "ext4", List.of(),
                false)).isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> mounter.bindMount("/nonexistent/source", target.resolve("t").toString(), false))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> mounter.unmount("/")).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(runner.programs()).isEmpty();
        assertThat(mounter.mountOf(target.toString())).isEmpty();
    }

    @Test
    void unmountingWhatIsNotThereSucceeds() {
        Path dir = loops.directory("mnt");
        assertThat(mounter.unmount(dir.toString())).isFalse();
        assertThat(mounter.unmount(dir.resolve("never-created").toString())).isFalse();
    }
}
