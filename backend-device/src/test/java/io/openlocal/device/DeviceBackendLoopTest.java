package io.openlocal.device;

import static io.openlocal.backend.naming.Sizes.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.FormatOptions;
import io.openlocal.backend.filesystem.Formatter;
import io.openlocal.backend.filesystem.FsType;
import io.openlocal.backend.filesystem.Mounter;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.ProgressReport;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeviceBackendLoopTest {

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    private static final Map<String, String> LOOPS_ONLY = Map.of(DeviceSettings.DEVICE_INCLUDE, "^loop[0-9]+$");

    private Path stateDir;
    private OnDisk.Recording runner;
    private DeviceBackend backend;

    @BeforeEach
    void setUp() {
        stateDir = loops.directory("state");
        runner = new OnDisk.Recording();
        backend = newBackend(LOOPS_ONLY);
    }

    private DeviceBackend newBackend(Map<String, String> settings) {
        return new DeviceBackend(DeviceSettings.parse(settings), runner, stateDir);
    }

    private static PoolInfo pool(List<PoolInfo> pools, LoopDevice loop) {
        return pools.stream().filter(p -> p.name().equals(loop.path())).findFirst()
                .orElseThrow(() -> new AssertionError(loop.path() + " not among " + pools));
    }

    private static VolumeRef ref(LoopDevice loop, String name) {
        return new VolumeRef(PoolType.DEVICE, loop.path(), name);
    }

    private Path claimFile(String name) {
        return stateDir.resolve("device/claims/" + name + ".json");
    }

    // ---- discovery ---------------------------------------------------------------------------------------------

    @Test
    void discoveryReportsBlankLoopsAsFreePoolsWithMediaTypeFromRotational() {
        LoopDevice ssd = loops.create(64 * MiB, true);
        LoopDevice hdd = loops.create(96 * MiB, false);
        List<PoolInfo> pools = backend.pools();

        PoolInfo fast = pool(pools, ssd);
        assertThat(fast.type()).isEqualTo(PoolType.DEVICE);
        assertThat(fast.mediaType()).isEqualTo(MediaType.SSD);
        assertThat(fast.capacity().totalBytes()).isEqualTo(64 * MiB);
        assertThat(fast.capacity().availableBytes()).isEqualTo(64 * MiB);
        assertThat(fast.inUse()).isFalse();
        assertThat(fast.readOnly()).isFalse();
        assertThat(fast.devices()).containsExactly(ssd.path());
        assertThat(fast.attributes()).containsEntry("kernelName", ssd.name());
        assertThat(fast.attributes().get("identity")).startsWith("loop:" + ssd.backingFile());

        PoolInfo slow = pool(pools, hdd);
        assertThat(slow.mediaType()).isEqualTo(MediaType.HDD);
        assertThat(slow.capacity().totalBytes()).isEqualTo(96 * MiB);
    }

    @Test
    void discoveryCostsOneLsblkAndOneBlkid() {
        loops.create(64 * MiB);
        loops.create(64 * MiB);
        runner.ran.clear();
        backend.pools();
        assertThat(runner.programs()).containsExactly("lsblk", "blkid");
    }

    @Test
    void includeAndExcludeSettingsChooseTheDevices() {
        LoopDevice a = loops.create(64 * MiB);
        LoopDevice b = loops.create(64 * MiB);
        List<String> names = newBackend(Map.of(DeviceSettings.DEVICE_INCLUDE, "^loop[0-9]+$",
                DeviceSettings.DEVICE_EXCLUDE, "^" + b.name() + "$")).pools().stream().map(PoolInfo::name).toList();
        assertThat(names).contains(a.path()).doesNotContain(b.path());
        List<String> defaults = newBackend(Map.of()).pools().stream().map(PoolInfo::name).toList();
        assertThat(defaults).doesNotContain(a.path(), b.path());
        assertThatThrownBy(() -> newBackend(Map.of(DeviceSettings.DEVICE_EXCLUDE, "loop[")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageStartingWith("device.exclude:");
    }

    @Test
    void deviceWithAFilesystemOrMountIsReportedInUseWithNothingAvailable() {
        LoopDevice formatted = loops.create(64 * MiB);
        new Formatter(runner).format(formatted.path(), FsType.EXT4, FormatOptions.none());
        LoopDevice mounted = loops.create(64 * MiB);
        new Formatter(runner).format(mounted.path(), FsType.EXT4, FormatOptions.none());
        Path target = loops.directory("mnt");
        new Mounter(runner).mount(mounted.path(), target.toString(), "ext4", List.of(), false);

        List<PoolInfo> pools = backend.pools();
        PoolInfo withFs = pool(pools, formatted);
        assertThat(withFs.inUse()).isTrue();
        assertThat(withFs.capacity().availableBytes()).isZero();
        assertThat(withFs.capacity().allocatableBytes()).isZero();
        assertThat(withFs.attributes()).containsEntry("fsType", "ext4");
        assertThat(withFs.attributes().get("reasons")).contains("ext4");
        PoolInfo withMount = pool(pools, mounted);
        assertThat(withMount.inUse()).isTrue();
        assertThat(withMount.attributes().get("reasons")).contains("mounted").contains(target.toString());
    }

    // ---- claim -------------------------------------------------------------------------------------------------

    @Test
    void claimTakesTheWholeDeviceDurablyAndIdempotently() throws Exception {
        LoopDevice loop = loops.create(64 * MiB, true);
        Volume volume = backend.createVolume(VolumeSpec.of(loop.path(), "pvc-a", 10 * MiB));
        assertThat(volume.ref()).isEqualTo(ref(loop, "pvc-a"));
        assertThat(volume.sizeBytes()).isEqualTo(64 * MiB);
        assertThat(volume.devicePath()).contains(loop.path());
        assertThat(volume.owned()).isTrue();
        assertThat(volume.attributes()).containsEntry("state", "attached").containsEntry("mediaType", "ssd");
        assertThat(claimFile("pvc-a")).exists();
        assertThat(Files.readString(claimFile("pvc-a"))).contains("\"volumeName\"").contains(loop.path())
                .contains(loop.backingFile().toString());

        assertThat(backend.createVolume(VolumeSpec.of(loop.path(), "pvc-a", 64 * MiB))).isEqualTo(volume);
        assertThat(backend.volume(ref(loop, "pvc-a"))).contains(volume);
        assertThat(backend.volumes(loop.path())).containsExactly(volume);
        assertThat(backend.usage(ref(loop, "pvc-a")).sizeBytes()).isEqualTo(64 * MiB);
        assertThat(backend.usage(ref(loop, "pvc-a")).allocatedBytes()).isEqualTo(64 * MiB);

        PoolInfo claimed = pool(backend.pools(), loop);
        assertThat(claimed.inUse()).isTrue();
        assertThat(claimed.capacity().availableBytes()).isZero();
        assertThat(claimed.capacity().allocatableBytes()).isEqualTo(64 * MiB);
        assertThat(claimed.attributes()).containsEntry("claimedBy", "pvc-a");
        assertThat(OnDisk.signatureCount(loop.path())).as("a claim writes nothing to the device").isZero();
    }

    @Test
    void claimSurvivesANewBackendInstance() {
        LoopDevice loop = loops.create(64 * MiB);
        Volume volume = backend.createVolume(VolumeSpec.of(loop.path(), "pvc-keep", MiB));
        DeviceBackend restarted = newBackend(LOOPS_ONLY);
        assertThat(restarted.volume(ref(loop, "pvc-keep"))).contains(volume);
        assertThat(pool(restarted.pools(), loop).attributes()).containsEntry("claimedBy", "pvc-keep");
        assertThatThrownBy(() -> restarted.createVolume(VolumeSpec.of(loop.path(), "pvc-other", MiB)))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("pvc-keep");
    }

    @Test
    void secondClaimOfADeviceIsBusyAndOneNameCannotClaimTwoDevices() {
        LoopDevice a = loops.create(64 * MiB);
        LoopDevice b = loops.create(64 * MiB);
        backend.createVolume(VolumeSpec.of(a.path(), "pvc-1", MiB));
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(a.path(), "pvc-2", MiB)))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("pvc-1");
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(b.path(), "pvc-1", MiB)))
                .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining(a.path());
        assertThat(claimFile("pvc-2")).doesNotExist();
        assertThat(backend.volume(ref(b, "pvc-1"))).isEmpty();
    }

    @Test
    void sizeLargerThanTheDeviceIsOutOfCapacity() {
        LoopDevice loop = loops.create(64 * MiB);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(loop.path(), "big", 64 * MiB + 1)))
                .isInstanceOf(StorageException.OutOfCapacity.class).hasMessageContaining("sizeBytes");
        backend.createVolume(VolumeSpec.of(loop.path(), "exact", 64 * MiB));
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(loop.path(), "exact", 64 * MiB + 1)))
                .isInstanceOf(StorageException.OutOfCapacity.class);
    }

    @Test
    void mediaTypeParameterMustMatchTheDevice() {
        LoopDevice hdd = loops.create(64 * MiB, false);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(hdd.path(), "v", MiB)
                .withParameters(Map.of("mediaType", "ssd")))).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("hdd");
        assertThat(backend.createVolume(VolumeSpec.of(hdd.path(), "v", MiB).withParameters(Map.of("mediaType", "hdd"))))
                .extracting(Volume::sizeBytes).isEqualTo(64 * MiB);
    }

    @Test
    void foreignFilesystemIsRefusedAndLeftExactlyAsItWas() {
        LoopDevice loop = loops.create(64 * MiB);
        OnDisk.run("mkfs.ext4", "-q", "-L", "theirs", loop.path()).orThrow();
        String before = OnDisk.signatures(loop.path());
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(loop.path(), "pvc-x", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("ext4")
                .hasMessageContaining("untouched");
        assertThatCode(() -> backend.deleteVolume(ref(loop, "pvc-x"))).doesNotThrowAnyException();
        assertThat(OnDisk.signatures(loop.path())).isEqualTo(before);
        assertThat(claimFile("pvc-x")).doesNotExist();
        assertThat(runner.programs()).doesNotContain("wipefs", "mkfs.ext4");
    }

    @Test
    void partitionTableAndMountedDevicesAreRefused() throws Exception {
        LoopDevice table = loops.create(64 * MiB);
        writeMbr(table);
        String before = OnDisk.signatures(table.path());
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(table.path(), "p", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("partition table");
        assertThat(OnDisk.signatures(table.path())).isEqualTo(before);

        LoopDevice bound = loops.create(64 * MiB);
        Path podFile = loops.directory("pod").resolve("dev");
        new Mounter(runner).bindMount(bound.path(), podFile.toString(), false);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(bound.path(), "q", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("mounted");
    }

    @Test
    void deviceExcludedBySettingsCannotBeClaimed() {
        LoopDevice loop = loops.create(64 * MiB);
        DeviceBackend strict = newBackend(Map.of());
        assertThatThrownBy(() -> strict.createVolume(VolumeSpec.of(loop.path(), "v", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("device.include");
    }

    @Test
    void badInputIsRefusedWithTypedErrorsAndChangesNothing() {
        LoopDevice loop = loops.create(64 * MiB);
        String before = OnDisk.signatures(loop.path());
        runner.ran.clear();
        for (String pool : List.of("/dev/../etc/passwd", "/dev/loop0/..", "dev/loop0", "/dev/loop0; rm -rf /",
                "/dev/$(reboot)", "/dev/-loop0", "/dev/loop 0", "/etc/passwd", "")) {
            assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(pool, "ok", MiB))).as(pool)
                    .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("pool");
        }
        for (String name : List.of("a/b", "..", ".", "has space", "-rf", "x;reboot", "$(id)", "`id`", "a\nb", "",
                "x".repeat(129))) {
            assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(loop.path(), name, MiB))).as(name)
                    .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("name");
            assertThatThrownBy(() -> backend.deleteVolume(ref(loop, name))).as(name)
                    .isInstanceOf(StorageException.InvalidArgument.class);
        }
        for (long size : List.of(0L, -1L, Long.MIN_VALUE)) {
            assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(loop.path(), "ok", size)))
                    .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("sizeBytes");
        }
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(loop.path(), "ok", MiB)
                .withParameters(Map.of("stripes", "2")))).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("stripes");
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(loop.path(), "ok", MiB)
                .withParameters(Map.of("mediaType", "nvme")))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.deleteVolume(new VolumeRef(PoolType.LVM, loop.path(), "ok")))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(runner.programs()).as("nothing ran for rejected input").isEmpty();

        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of("/dev/loop-missing-device", "ok", MiB)))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of("/dev/null", "ok", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("not a block device");
        assertThatThrownBy(() -> backend.volumes("/dev/loop-missing-device"))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.initPool(new PoolSpec(loop.path(), PoolType.DEVICE, List.of(), false,
                Map.of()))).isInstanceOf(StorageException.Unsupported.class);
        assertThat(OnDisk.signatures(loop.path())).isEqualTo(before);
        assertThat(noClaims()).as("no claim record was written").isTrue();
    }

    // ---- lifecycle and release ---------------------------------------------------------------------------------

    @Test
    void ext4VolumeLivesAndIsReleasedToABlankDevice() throws Exception {
        volumeLifecycle(FsType.EXT4, 64 * MiB);
    }

    @Test
    void xfsVolumeLivesAndIsReleasedToABlankDevice() throws Exception {
        volumeLifecycle(FsType.XFS, 320 * MiB);
    }

    private void volumeLifecycle(FsType fsType, long size) throws Exception {
        LoopDevice loop = loops.create(size);
        Volume volume = backend.createVolume(VolumeSpec.of(loop.path(), "pvc-" + fsType.fsName(), MiB));
        String device = volume.devicePath().orElseThrow();
        assertThat(new Formatter(runner).formatIfBlank(device, fsType, FormatOptions.none())).isTrue();
        Path target = loops.directory("stage");
        Mounter mounter = new Mounter(runner);
        mounter.mount(device, target.toString(), fsType.fsName(), List.of(), false);
        Files.writeString(target.resolve("data.txt"), "hello from " + fsType.fsName());
        mounter.unmount(target.toString());
        mounter.mount(device, target.toString(), fsType.fsName(), List.of(), false);
        assertThat(Files.readString(target.resolve("data.txt"))).isEqualTo("hello from " + fsType.fsName());

        PoolInfo claimed = pool(backend.pools(), loop);
        assertThat(claimed.attributes()).containsEntry("claimedBy", volume.ref().name())
                .containsEntry("fsType", fsType.fsName());

        assertThatThrownBy(() -> backend.deleteVolume(volume.ref())).isInstanceOf(StorageException.Busy.class)
                .hasMessageContaining("mounted");
        assertThat(OnDisk.signatureCount(device)).isPositive();
        assertThat(claimFile(volume.ref().name())).exists();

        mounter.unmount(target.toString());
        mounter.unmount(target.toString());
        backend.deleteVolume(volume.ref());
        assertThat(OnDisk.signatureCount(device)).isZero();
        assertThat(OnDisk.run("blkid", "-p", device).exitCode()).as("blkid finds nothing").isEqualTo(2);
        assertThat(claimFile(volume.ref().name())).doesNotExist();
        assertThat(backend.volume(volume.ref())).isEmpty();
        PoolInfo free = pool(backend.pools(), loop);
        assertThat(free.inUse()).isFalse();
        assertThat(free.capacity().availableBytes()).isEqualTo(size);

        backend.deleteVolume(volume.ref());
    }

    @Test
    void releasingAFormattedDiskReportsTheCheckTheWipeAndTheBlankCheck() {
        LoopDevice loop = loops.create(64 * MiB);
        List<ProgressReport> reports = new CopyOnWriteArrayList<>();
        DeviceBackend watched = new DeviceBackend(DeviceSettings.parse(LOOPS_ONLY), runner, stateDir, reports::add);
        Volume volume = watched.createVolume(VolumeSpec.of(loop.path(), "pvc-progress", MiB));
        assertThat(reports).as("claiming a blank disk is quick and reports nothing").isEmpty();
        new Formatter(runner).format(loop.path(), FsType.EXT4, FormatOptions.none());

        watched.deleteVolume(volume.ref());
        String op = "releasing Device volume pvc-progress on " + loop.path() + ": ";
        assertThat(reports).extracting(ProgressReport::line).containsExactly(
                op + "checking " + loop.path(),
                op + "wiping " + loop.path() + ": signatures (1/2)",
                op + "checking " + loop.path() + " is blank (2/2)",
                op + "checking " + loop.path() + " is blank (2/2)");
        assertThat(reports).extracting(ProgressReport::finished).containsExactly(false, false, false, true);
        assertThat(OnDisk.signatureCount(loop.path())).isZero();
    }

    @Test
    void crashBetweenWipeAndRecordDeletionIsFinishedByTheRetry() {
        LoopDevice loop = loops.create(64 * MiB);
        Volume volume = backend.createVolume(VolumeSpec.of(loop.path(), "pvc-crash", MiB));
        new Formatter(runner).format(loop.path(), FsType.EXT4, FormatOptions.none());
        // The process "dies" right after wipefs returns: the next command (the probe that follows) never runs.
        CommandRunner dying = new CommandRunner() {
            private boolean wiped;

            @Override
            public CommandResult run(Command command) {
                if (wiped) {
                    throw new StorageException.Unavailable("simulated crash");
                }
                CommandResult result = runner.run(command);
                wiped = command.program().equals("wipefs");
                return result;
            }
        };
        DeviceBackend crashing = new DeviceBackend(DeviceSettings.parse(LOOPS_ONLY), dying, stateDir);
        assertThatThrownBy(() -> crashing.deleteVolume(volume.ref())).hasMessageContaining("simulated crash");
        assertThat(OnDisk.signatureCount(loop.path())).isZero();
        assertThat(claimFile("pvc-crash")).as("the claim outlives the crash").exists();
        assertThat(pool(backend.pools(), loop).inUse()).as("still claimed, not free").isTrue();

        newBackend(LOOPS_ONLY).deleteVolume(volume.ref());
        assertThat(claimFile("pvc-crash")).doesNotExist();
    }

    @Test
    void deletingAbsentOrMisaddressedVolumesSucceedsWithoutTouchingAnything() {
        LoopDevice a = loops.create(64 * MiB);
        LoopDevice b = loops.create(64 * MiB);
        backend.createVolume(VolumeSpec.of(a.path(), "pvc-a", MiB));
        new Formatter(runner).format(a.path(), FsType.EXT4, FormatOptions.none());
        String before = OnDisk.signatures(a.path());
        backend.deleteVolume(ref(b, "pvc-a"));
        backend.deleteVolume(ref(a, "never-made"));
        assertThat(OnDisk.signatures(a.path())).isEqualTo(before);
        assertThat(claimFile("pvc-a")).exists();
    }

    @Test
    void claimFollowsItsDiskToANewNameAndNeverTheNameToAnotherDisk() {
        LoopDevice loop = loops.create(64 * MiB);
        Volume volume = backend.createVolume(VolumeSpec.of(loop.path(), "pvc-moving", MiB));
        new Formatter(runner).format(loop.path(), FsType.EXT4, FormatOptions.none());
        String theirFile = loops.directory("other") + "/other.img";
        String moved = null;
        boolean otherAttached = false;
        try {
            OnDisk.run("truncate", "-s", Long.toString(64 * MiB), theirFile).orThrow();
            OnDisk.run("losetup", "--detach", loop.path()).orThrow();
            // Another disk takes the claimed name; the claimed disk comes back under a new one.
            OnDisk.run("losetup", loop.path(), theirFile).orThrow();
            otherAttached = true;
            moved = OnDisk.run("losetup", "--find", "--show", loop.backingFile().toString()).orThrow().stdout().strip();
            assertThat(moved).isNotEqualTo(loop.path());

            Volume found = backend.volume(volume.ref()).orElseThrow();
            assertThat(found.devicePath()).contains(moved);
            assertThat(found.attributes()).containsEntry("state", "moved");
            PoolInfo impostor = pool(backend.pools(), loop);
            assertThat(impostor.inUse()).as("the disk now at the claimed name is not the claimed one").isFalse();

            backend.deleteVolume(volume.ref());
            assertThat(OnDisk.signatureCount(moved)).as("the claimed disk was wiped").isZero();
            assertThat(claimFile("pvc-moving")).doesNotExist();
        } finally {
            if (moved != null) {
                OnDisk.run("losetup", "--detach", moved);
            }
            if (otherAttached) {
                OnDisk.run("losetup", "--detach", loop.path());
            }
        }
    }

    @Test
    void missingClaimedDiskIsReportedAndNotReleased() {
        LoopDevice loop = loops.create(64 * MiB);
        Volume volume = backend.createVolume(VolumeSpec.of(loop.path(), "pvc-gone", MiB));
        OnDisk.run("losetup", "--detach", loop.path()).orThrow();
        Optional<Volume> found = backend.volume(volume.ref());
        assertThat(found).get().extracting(v -> v.attributes().get("state")).isEqualTo("missing");
        assertThat(found.get().devicePath()).isEmpty();
        assertThatThrownBy(() -> backend.deleteVolume(volume.ref())).isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("not attached");
        assertThat(claimFile("pvc-gone")).exists();
    }

    private boolean noClaims() {
        Path dir = stateDir.resolve("device/claims");
        try (var files = Files.exists(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty()) {
            return files.findAny().isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeMbr(LoopDevice loop) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(loop.backingFile().toFile(), "rw")) {
            byte[] entry = new byte[16];
            entry[4] = (byte) 0x83;
            entry[9] = 0x08;
            entry[14] = 0x01;
            raf.seek(446);
            raf.write(entry);
            raf.seek(510);
            raf.write(new byte[] {0x55, (byte) 0xAA});
        }
    }
}
