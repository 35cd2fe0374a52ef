package io.openlocal.backend.filesystem;

import static io.openlocal.backend.naming.Sizes.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.progress.ProgressReport;
import io.openlocal.backend.progress.ProgressSteps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResizeAndWipeLoopTest {

    @RegisterExtension
    static final TestLoops loops = new TestLoops();

    private final CountingRunner runner = new CountingRunner();
    private final BlockProbe probe = new BlockProbe(runner);
    private final Formatter formatter = new Formatter(runner, probe, Formatter.DEFAULT_TIMEOUT);
    private final Mounter mounter = new Mounter(runner);
    private final FilesystemStats stats = new FilesystemStats(runner);
    private final FilesystemResizer resizer = new FilesystemResizer(runner);

    /** Online ext growth is an ioctl that needs CAP_SYS_RESOURCE; some containers drop it. */
    static boolean hasCapSysResource() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
            }
        }
        return false;
    }

    @Test
    void growsMountedExt4AfterTheLoopGrows() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasCapSysResource(), "this process lacks CAP_SYS_RESOURCE, "
                + "which online ext4 growth needs; growsUnmountedExt4AfterTheLoopGrows and the xfs online test "
                + "cover resizing here");
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        mounter.mount(loop.path(), target.toString(), "ext4", List.of(), false);
        Files.writeString(target.resolve("keep"), "kept across the grow");
        long before = stats.of(target).totalBytes();

        loops.grow(loop, 128 * MiB);
        GrowResult grown = resizer.grow(loop.path(), target.toString());
        assertThat(grown.fsType()).isEqualTo(FsType.EXT4);
        assertThat(grown.totalBytesBefore()).isEqualTo(before);
        assertThat(grown.totalBytesAfter()).isGreaterThan(before + 50 * MiB);
        assertThat(Files.readString(target.resolve("keep"))).isEqualTo("kept across the grow");

        GrowResult again = resizer.grow(loop.path(), target.toString());
        assertThat(again.totalBytesAfter()).isEqualTo(grown.totalBytesAfter());
    }

    @Test
    void growsUnmountedExt4AfterTheLoopGrowsAndKeepsItsData() throws Exception {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        mounter.mount(loop.path(), target.toString(), "ext4", List.of(), false);
        Files.writeString(target.resolve("keep"), "kept across the grow");
        long before = stats.of(target).totalBytes();
        assertThatThrownBy(() -> resizer.growUnmounted(loop.path())).isInstanceOf(StorageException.Busy.class);
        mounter.unmount(target.toString());

        loops.grow(loop, 128 * MiB);
        assertThat(resizer.growUnmounted(loop.path())).isEqualTo(FsType.EXT4);
        assertThat(resizer.growUnmounted(loop.path())).as("growing again is a no-op").isEqualTo(FsType.EXT4);
        mounter.mount(loop.path(), target.toString(), "ext4", List.of(), false);
        assertThat(stats.of(target).totalBytes()).isGreaterThan(before + 50 * MiB);
        assertThat(Files.readString(target.resolve("keep"))).isEqualTo("kept across the grow");
    }

    @Test
    void growUnmountedRefusesXfs() {
        TestLoops.Loop loop = loops.create(320 * MiB);
        formatter.format(loop.path(), FsType.XFS, FormatOptions.none());
        assertThatThrownBy(() -> resizer.growUnmounted(loop.path()))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("only while mounted");
    }

    @Test
    void growsMountedXfsAfterTheLoopGrows() {
        TestLoops.Loop loop = loops.create(320 * MiB);
        formatter.format(loop.path(), FsType.XFS, FormatOptions.none());
        Path target = loops.directory("mnt");
        mounter.mount(loop.path(), target.toString(), "xfs", List.of(), false);
        loops.grow(loop, 480 * MiB);
        GrowResult grown = resizer.grow(loop.path(), target.toString());
        assertThat(grown.fsType()).isEqualTo(FsType.XFS);
        assertThat(grown.totalBytesAfter()).isGreaterThan(grown.totalBytesBefore() + 100 * MiB);
    }

    @Test
    void growRefusesADeviceNotMountedThere() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        assertThatThrownBy(() -> resizer.grow(loop.path(), target.toString()))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("nothing is mounted");
    }

    @Test
    void statsOfAMountedLoopAreSaneAgainstDf() throws Exception {
        TestLoops.Loop loop = loops.create(128 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        mounter.mount(loop.path(), target.toString(), "ext4", List.of(), false);
        FsUsage empty = stats.of(target);
        Files.write(target.resolve("blob"), new byte[(int) (8 * MiB)]);
        runner.run(io.openlocal.backend.command.Command.of("sync", "-f", target.toString()));
        FsUsage used = stats.of(target);

        CommandResult df = TestLoops.run("df", "-B1", "--output=size,used,avail,itotal,iused,iavail",
                target.toString());
        String[] f = df.stdout().strip().split("\n")[1].strip().split("\\s+");
        assertThat(used.totalBytes()).isEqualTo(Long.parseLong(f[0]));
        assertThat(used.usedBytes()).isEqualTo(Long.parseLong(f[1]));
        assertThat(used.availableBytes()).isEqualTo(Long.parseLong(f[2]));
        assertThat(used.totalInodes()).isEqualTo(Long.parseLong(f[3]));
        assertThat(used.usedInodes()).isEqualTo(Long.parseLong(f[4]));
        assertThat(used.availableInodes()).isEqualTo(Long.parseLong(f[5]));
        assertThat(used.totalBytes()).isBetween(100 * MiB, 128 * MiB);
        assertThat(used.usedBytes() - empty.usedBytes()).isGreaterThanOrEqualTo(8 * MiB);
        assertThat(used.usedInodes()).isEqualTo(empty.usedInodes() + 1);
    }

    @Test
    void wiperErasesEverySignatureOfAnUnmountedDevice() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        SignatureWiper wiper = new SignatureWiper(runner, probe, SignatureWiper.DEFAULT_TIMEOUT);
        assertThat(wiper.wipeAll(loop.path())).isTrue();
        assertThat(probe.probe(loop.path()).isBlank()).isTrue();
        assertThat(wiper.wipeAll(loop.path())).isFalse();
    }

    @Test
    void wiperReportsEachWipeAndTheCheckAsStepsAndNothingForABlankDevice() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        SignatureWiper wiper = new SignatureWiper(runner, probe, SignatureWiper.DEFAULT_TIMEOUT);
        List<ProgressReport> reports = new ArrayList<>();
        try (ProgressSteps steps = ProgressSteps.begin(reports::add, "releasing volume v1")) {
            assertThat(wiper.wipeAll(loop.path(), steps)).isTrue();
        }
        assertThat(reports).extracting(ProgressReport::line).containsExactly(
                "releasing volume v1: wiping " + loop.path() + ": signatures (1/2)",
                "releasing volume v1: checking " + loop.path() + " is blank (2/2)",
                "releasing volume v1: checking " + loop.path() + " is blank (2/2)");
        assertThat(reports).extracting(ProgressReport::finished).containsExactly(false, false, true);

        reports.clear();
        try (ProgressSteps steps = ProgressSteps.begin(reports::add, "releasing volume v2")) {
            assertThat(wiper.wipeAll(loop.path(), steps)).isFalse();
        }
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.finished()).isTrue());
    }

    @Test
    void wiperRefusesAMountedDeviceAndLeavesIt() {
        TestLoops.Loop loop = loops.create(64 * MiB);
        formatter.format(loop.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        mounter.mount(loop.path(), target.toString(), "ext4", List.of(), false);
        BlockContent before = probe.probe(loop.path());
        SignatureWiper wiper = new SignatureWiper(runner, probe, SignatureWiper.DEFAULT_TIMEOUT);
        assertThatThrownBy(() -> wiper.wipeAll(loop.path())).isInstanceOf(StorageException.Busy.class);
        assertThat(probe.probe(loop.path())).isEqualTo(before);
    }
}
