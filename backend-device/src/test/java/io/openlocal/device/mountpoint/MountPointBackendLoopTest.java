package io.openlocal.device.mountpoint;

import static io.openlocal.backend.naming.Sizes.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.BlockProbe;
import io.openlocal.backend.filesystem.MountTable;
import io.openlocal.backend.filesystem.Mounter;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.ProgressReport;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.device.DeviceBackend;
import io.openlocal.device.DeviceSettings;
import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MountPointBackendLoopTest {

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    private final ProcessCommandRunner real = ProcessCommandRunner.standard();
    private final List<String> ran = new ArrayList<>();
    private final CommandRunner runner = command -> {
        ran.add(command.program());
        return real.run(command);
    };
    private Path root;
    private Path stateDir;
    private MountPointBackend backend;

    @BeforeEach
    void setUp() {
        root = loops.directory("mp-root");
        stateDir = loops.directory("state");
        backend = newBackend();
    }

    private Map<String, String> settings() {
        return Map.of(DeviceSettings.MOUNTPOINT_ROOT, root.toString(), DeviceSettings.DEVICE_INCLUDE, "^loop[0-9]+$");
    }

    private MountPointBackend newBackend() {
        return new MountPointBackend(DeviceSettings.parse(settings()), runner, stateDir);
    }

    private PoolSpec spec(String name, LoopDevice loop, Map<String, String> options, boolean force) {
        return new PoolSpec(root.resolve(name).toString(), PoolType.MOUNT_POINT, List.of(loop.path()), force, options);
    }

    private static CommandResult sh(String... argv) {
        return ProcessCommandRunner.standard().run(Command.of(argv).withTimeout(Duration.ofSeconds(60)));
    }

    private Path claimFile(String name) {
        return stateDir.resolve("mountpoint/claims/" + name + ".json");
    }

    @Test
    void initFormatsABlankDeviceAndMountsItUnderTheRootIdempotently() {
        LoopDevice loop = loops.create(64 * MiB, true);
        PoolInfo pool = backend.initPool(spec("disk-a", loop, Map.of(), false));
        Path path = root.resolve("disk-a");
        assertThat(pool.name()).isEqualTo(path.toString());
        assertThat(pool.type()).isEqualTo(PoolType.MOUNT_POINT);
        assertThat(pool.inUse()).isFalse();
        assertThat(pool.mediaType()).isEqualTo(MediaType.SSD);
        assertThat(pool.devices()).containsExactly(loop.path());
        assertThat(pool.attributes()).containsEntry("fsType", "ext4");
        assertThat(pool.capacity().totalBytes()).isBetween(50 * MiB, 64 * MiB);
        assertThat(pool.capacity().availableBytes()).isEqualTo(pool.capacity().totalBytes());
        assertThat(MountTable.read().mountAt(path)).get().extracting(e -> e.source()).isEqualTo(loop.path());
        String uuid = new BlockProbe(runner).probe(loop.path()).uuid().orElseThrow();

        ran.clear();
        assertThat(backend.initPool(spec("disk-a", loop, Map.of(), false))).isEqualTo(pool);
        assertThat(ran).doesNotContain("mkfs.ext4", "mount", "wipefs");
        assertThat(new BlockProbe(runner).probe(loop.path()).uuid()).contains(uuid);
        assertThat(backend.pools()).extracting(PoolInfo::name).contains(path.toString());
    }

    @Test
    void initMakesXfsWithMountOptions() {
        LoopDevice loop = loops.create(320 * MiB, false);
        PoolInfo pool = backend.initPool(spec("x", loop, Map.of("fsType", "xfs", "mountOptions", "noatime"), false));
        assertThat(pool.attributes()).containsEntry("fsType", "xfs");
        assertThat(pool.mediaType()).isEqualTo(MediaType.HDD);
        assertThat(MountTable.read().mountAt(root.resolve("x")).orElseThrow().mountOptions()).contains("noatime");
        assertThatThrownBy(() -> backend.initPool(spec("x", loop, Map.of(), false)))
                .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining("xfs");
    }

    @Test
    void initRefusesANonBlankDeviceUnlessForced() {
        LoopDevice loop = loops.create(64 * MiB);
        sh("mkfs.ext2", "-q", "-L", "theirs", loop.path()).orThrow();
        String before = new BlockProbe(runner).probe(loop.path()).toString();
        assertThatThrownBy(() -> backend.initPool(spec("f", loop, Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("ext2")
                .hasMessageContaining("force");
        assertThat(new BlockProbe(runner).probe(loop.path()).toString()).isEqualTo(before);
        assertThat(MountTable.read().mountAt(root.resolve("f"))).isEmpty();

        PoolInfo pool = backend.initPool(spec("f", loop, Map.of(), true));
        assertThat(pool.attributes()).containsEntry("fsType", "ext4");
        assertThat(new BlockProbe(runner).probe(loop.path()).label()).isEmpty();
    }

    @Test
    void forcedInitReportsTheWipeTheMkfsAndTheMountAsSteps() {
        LoopDevice loop = loops.create(64 * MiB);
        sh("mkfs.ext2", "-q", "-L", "theirs", loop.path()).orThrow();
        List<ProgressReport> reports = new CopyOnWriteArrayList<>();
        MountPointBackend watched = new MountPointBackend(DeviceSettings.parse(settings()), runner, stateDir,
                reports::add);
        Path path = root.resolve("p");
        watched.initPool(spec("p", loop, Map.of(), true));
        String op = "initialising mount point " + path + ": ";
        assertThat(reports).extracting(ProgressReport::line).containsExactly(
                op + "checking " + loop.path(),
                op + "wiping " + loop.path() + ": signatures (1/4)",
                op + "checking " + loop.path() + " is blank (2/4)",
                op + "mkfs.ext4 " + loop.path() + " (3/4)",
                op + "mounting " + loop.path() + " at " + path + " (4/4)",
                op + "mounting " + loop.path() + " at " + path + " (4/4)");
        assertThat(reports.getLast().finished()).isTrue();

        // Mounted already: checked, nothing else to do.
        reports.clear();
        watched.initPool(spec("p", loop, Map.of(), true));
        assertThat(reports).extracting(ProgressReport::describe).containsExactly("checking " + loop.path(),
                "checking " + loop.path());
    }

    @Test
    void initRefusesADeviceClaimedByADeviceVolumeOrMountedElsewhere() {
        LoopDevice claimed = loops.create(64 * MiB);
        new DeviceBackend(DeviceSettings.parse(settings()), runner, stateDir)
                .createVolume(VolumeSpec.of(claimed.path(), "pvc-dev", MiB));
        assertThatThrownBy(() -> backend.initPool(spec("c", claimed, Map.of(), true)))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("pvc-dev");
        assertThat(new BlockProbe(runner).probe(claimed.path()).isBlank()).isTrue();

        LoopDevice elsewhere = loops.create(64 * MiB);
        backend.initPool(spec("first", elsewhere, Map.of(), false));
        assertThatThrownBy(() -> backend.initPool(spec("second", elsewhere, Map.of(), true)))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("mounted");
        LoopDevice other = loops.create(64 * MiB);
        assertThatThrownBy(() -> backend.initPool(spec("first", other, Map.of(), false)))
                .isInstanceOf(StorageException.AlreadyExists.class);
    }

    @Test
    void initInterruptedAfterFormattingMountsTheSameFilesystemOnRetry() {
        LoopDevice loop = loops.create(64 * MiB);
        CommandRunner noMount = command -> {
            if (command.program().equals("mount")) {
                throw new StorageException.Unavailable("simulated crash before mount");
            }
            return real.run(command);
        };
        MountPointBackend crashing = new MountPointBackend(DeviceSettings.parse(settings()), noMount, stateDir);
        assertThatThrownBy(() -> crashing.initPool(spec("r", loop, Map.of(), false)))
                .hasMessageContaining("simulated crash");
        String uuid = new BlockProbe(runner).probe(loop.path()).uuid().orElseThrow();

        ran.clear();
        newBackend().initPool(spec("r", loop, Map.of(), false));
        assertThat(ran).doesNotContain("mkfs.ext4", "wipefs");
        assertThat(new BlockProbe(runner).probe(loop.path()).uuid()).contains(uuid);
        assertThat(MountTable.read().mountAt(root.resolve("r"))).isPresent();
    }

    @Test
    void volumeClaimsTheMountPointStoresDataAndReleaseEmptiesIt() throws Exception {
        LoopDevice loop = loops.create(64 * MiB);
        PoolInfo pool = backend.initPool(spec("v", loop, Map.of(), false));
        Volume volume = backend.createVolume(VolumeSpec.of(pool.name(), "pvc-mp", 10 * MiB));
        assertThat(volume.sizeBytes()).isEqualTo(pool.capacity().totalBytes());
        assertThat(volume.devicePath()).isEmpty();
        assertThat(volume.attributes()).containsEntry("path", pool.name()).containsEntry("fsType", "ext4");
        assertThat(Files.readString(claimFile("pvc-mp"))).contains(pool.name());
        assertThat(backend.createVolume(VolumeSpec.of(pool.name(), "pvc-mp", MiB))).isEqualTo(volume);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(pool.name(), "pvc-other", MiB)))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("pvc-mp");

        Path dir = Path.of(pool.name());
        Files.createDirectories(dir.resolve("app/nested"));
        Files.writeString(dir.resolve("app/nested/data.bin"), "payload");
        Files.writeString(dir.resolve("top.txt"), "x");
        Path outside = loops.directory("outside");
        Files.writeString(outside.resolve("precious"), "must survive");
        Files.createSymbolicLink(dir.resolve("link-out"), outside);
        Files.writeString(dir.resolve("lost+found/recovered"), "r");
        assertThat(Files.readString(dir.resolve("app/nested/data.bin"))).isEqualTo("payload");

        PoolInfo claimed = backend.pools().stream().filter(p -> p.name().equals(pool.name())).findFirst().orElseThrow();
        assertThat(claimed.inUse()).isTrue();
        assertThat(claimed.attributes()).containsEntry("claimedBy", "pvc-mp");
        assertThat(newBackend().volume(volume.ref())).as("claim survives a restart").contains(volume);

        backend.deleteVolume(volume.ref());
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("lost+found");
        }
        assertThat(dir.resolve("lost+found")).isEmptyDirectory();
        assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("must survive");
        assertThat(claimFile("pvc-mp")).doesNotExist();
        assertThat(MountTable.read().mountAt(dir)).as("the pool stays mounted").isPresent();
        PoolInfo free = backend.pools().stream().filter(p -> p.name().equals(pool.name())).findFirst().orElseThrow();
        assertThat(free.inUse()).isFalse();
        backend.deleteVolume(volume.ref());
    }

    @Test
    void releaseRefusesWhileAPodBindMountUsesIt() throws Exception {
        LoopDevice loop = loops.create(64 * MiB);
        PoolInfo pool = backend.initPool(spec("busy", loop, Map.of(), false));
        Volume volume = backend.createVolume(VolumeSpec.of(pool.name(), "pvc-b", MiB));
        Files.writeString(Path.of(pool.name(), "f"), "in use");
        Path podDir = loops.directory("pod").resolve("volume");
        new Mounter(runner).bindMount(pool.name(), podDir.toString(), false);
        assertThatThrownBy(() -> backend.deleteVolume(volume.ref())).isInstanceOf(StorageException.Busy.class)
                .hasMessageContaining(podDir.toString());
        assertThat(Files.readString(Path.of(pool.name(), "f"))).isEqualTo("in use");
        new Mounter(runner).unmount(podDir.toString());
        backend.deleteVolume(volume.ref());
        assertThat(Path.of(pool.name(), "f")).doesNotExist();
    }

    @Test
    void releaseNeverDeletesFromAnUnmountedOrSwappedMountPoint() throws Exception {
        LoopDevice loop = loops.create(64 * MiB);
        PoolInfo pool = backend.initPool(spec("u", loop, Map.of(), false));
        Volume volume = backend.createVolume(VolumeSpec.of(pool.name(), "pvc-u", MiB));
        new Mounter(runner).unmount(pool.name());
        Path bare = Path.of(pool.name());
        Files.writeString(bare.resolve("on-the-parent-filesystem"), "keep me");
        assertThatThrownBy(() -> backend.deleteVolume(volume.ref())).isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("nothing is mounted");
        assertThat(Files.readString(bare.resolve("on-the-parent-filesystem"))).isEqualTo("keep me");
        Files.delete(bare.resolve("on-the-parent-filesystem"));

        LoopDevice impostor = loops.create(64 * MiB);
        sh("mkfs.ext4", "-q", impostor.path()).orThrow();
        new Mounter(runner).mount(impostor.path(), pool.name(), "ext4", List.of(), false);
        Files.writeString(bare.resolve("theirs"), "keep me too");
        assertThatThrownBy(() -> backend.deleteVolume(volume.ref())).isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("not the claimed filesystem");
        assertThat(Files.readString(bare.resolve("theirs"))).isEqualTo("keep me too");
        assertThat(claimFile("pvc-u")).exists();
    }

    @Test
    void mountPointWithForeignDataIsReportedInUseAndCannotBeClaimed() throws Exception {
        LoopDevice loop = loops.create(64 * MiB);
        sh("mkfs.ext4", "-q", loop.path()).orThrow();
        Path path = root.resolve("theirs");
        Files.createDirectories(path);
        new Mounter(runner).mount(loop.path(), path.toString(), "ext4", List.of(), false);
        Files.writeString(path.resolve("db.sqlite"), "their data");
        PoolInfo pool = backend.pools().stream().filter(p -> p.name().equals(path.toString())).findFirst().orElseThrow();
        assertThat(pool.inUse()).isTrue();
        assertThat(pool.capacity().availableBytes()).isZero();
        assertThat(pool.attributes().get("reasons")).contains("db.sqlite");
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(path.toString(), "pvc-f", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("untouched");
        assertThat(Files.readString(path.resolve("db.sqlite"))).isEqualTo("their data");
    }

    @Test
    void sizeAndMediaTypeAreChecked() {
        LoopDevice loop = loops.create(64 * MiB, true);
        PoolInfo pool = backend.initPool(spec("s", loop, Map.of(), false));
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(pool.name(), "big", 64 * MiB)))
                .isInstanceOf(StorageException.OutOfCapacity.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(pool.name(), "hdd", MiB)
                .withParameters(Map.of("mediaType", "hdd")))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(backend.createVolume(VolumeSpec.of(pool.name(), "ssd", MiB)
                .withParameters(Map.of("mediaType", "ssd"))).sizeBytes()).isEqualTo(pool.capacity().totalBytes());
    }

    @Test
    void badInputIsRefusedBeforeAnythingRuns() {
        LoopDevice loop = loops.create(64 * MiB);
        ran.clear();
        for (String name : List.of("/etc", root + "/../escape", root + "/a b", root + "/-x", root + "/a;b",
                root.toString(), "relative", root + "/$(id)")) {
            assertThatThrownBy(() -> backend.initPool(new PoolSpec(name, PoolType.MOUNT_POINT, List.of(loop.path()),
                    false, Map.of()))).as(name).isInstanceOf(StorageException.InvalidArgument.class);
            assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(name, "v", MiB))).as(name)
                    .isInstanceOf(StorageException.InvalidArgument.class);
        }
        assertThatThrownBy(() -> backend.initPool(new PoolSpec(root + "/two", PoolType.MOUNT_POINT,
                List.of(loop.path(), loop.path()), false, Map.of()))).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> backend.initPool(spec("o", loop, Map.of("fsType", "ntfs"), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("fsType");
        assertThatThrownBy(() -> backend.initPool(spec("o", loop, Map.of("mountOptions", "bind"), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("mountOptions");
        assertThatThrownBy(() -> backend.initPool(spec("o", loop, Map.of("size", "1"), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("size");
        assertThatThrownBy(() -> backend.initPool(new PoolSpec(root + "/o", PoolType.MOUNT_POINT,
                List.of("/dev/../etc/passwd"), false, Map.of()))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(root + "/o", "a/b", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(root + "/o", "v", 0)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(ran).isEmpty();
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(root + "/not-mounted", "v", MiB)))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.volumes(root + "/not-mounted")).isInstanceOf(StorageException.NotFound.class);
        assertThat(new BlockProbe(runner).probe(loop.path()).isBlank()).isTrue();
    }

    @Test
    void refAndTypeMismatchesAreInvalid() {
        assertThatThrownBy(() -> backend.deleteVolume(new VolumeRef(PoolType.DEVICE, root + "/a", "v")))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.initPool(new PoolSpec(root + "/a", PoolType.DEVICE, List.of("/dev/loop0"),
                false, Map.of()))).isInstanceOf(StorageException.InvalidArgument.class);
        backend.deleteVolume(new VolumeRef(PoolType.MOUNT_POINT, root + "/a", "never-made"));
    }
}
