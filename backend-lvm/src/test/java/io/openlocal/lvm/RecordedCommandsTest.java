package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.Capability;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.CowSpace;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The exact lvm2 command lines for thin pools, thin volumes and snapshots (which need device-mapper, absent on
 * this build machine), and for linear and striped volumes in both modes. The backend runs against a recording
 * runner serving fullreport fixtures, so the decisions before each command (idempotency, capacity,
 * over-provisioning, dependants) run for real on realistic reports.
 */
class RecordedCommandsTest {

    private static final long MiB = 1024 * 1024;
    private static final String VG = "vgfix";

    private RecordingRunner runner;

    private LvmBackend backend(boolean deviceMapper, Map<String, String> settings) {
        runner = new RecordingRunner(deviceMapper, "thin-and-snapshots.json", "thin-and-snapshots-after.json");
        LvmBackend backend = new LvmBackend(LvmSettings.from(settings), runner);
        runner.clear();
        return backend;
    }

    private LvmBackend withDeviceMapper() {
        return backend(true, Map.of(LvmSettings.THIN_OVER_PROVISION_RATIO, "5"));
    }

    private static VolumeRef ref(String name) {
        return new VolumeRef(PoolType.LVM, VG, name);
    }

    @Test
    void thinVolumeIsCreatedInItsPoolWithTheOwnerTag() {
        Volume volume = withDeviceMapper().createVolume(new VolumeSpec(VG, "local-newthin", 100 * MiB,
                Map.of("thinPool", "local-pool"), Optional.empty()));
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvcreate", "--yes", "--type", "thin",
                "--virtualsize", "104857600b", "--thinpool", "local-pool", "--name", "local-newthin",
                "--addtag", "open-local", VG));
        assertThat(volume.sizeBytes()).isEqualTo(100 * MiB);
        assertThat(volume.attributes()).containsEntry("thinPool", "local-pool");
        assertThat(volume.devicePath()).hasValue("/dev/vgfix/local-newthin");
    }

    @Test
    void thinPoolIsCreatedWithExplicitMetadataSize() {
        withDeviceMapper().createVolume(new VolumeSpec(VG, "local-newpool", 40 * MiB,
                Map.of("lvType", "thin-pool"), Optional.empty()));
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvcreate", "--yes", "--type", "thin-pool",
                "--size", "41943040b", "--poolmetadatasize", "4194304b", "--name", "local-newpool",
                "--addtag", "open-local", VG));
    }

    @Test
    void snapshotOfThinVolumeIsAThinSnapshotWithoutSize() {
        Snapshot snapshot = withDeviceMapper().createSnapshot(new SnapshotSpec(ref("local-thin"), "local-newsnap", 0,
                Map.of()));
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvcreate", "--yes", "--snapshot", "--name",
                "local-newsnap", "--addtag", "open-local", "vgfix/local-thin"));
        assertThat(snapshot.source().name()).isEqualTo("local-thin");
        assertThat(snapshot.sizeBytes()).isEqualTo(300 * MiB);
    }

    @Test
    void snapshotOfStripedVolumeIsCopyOnWriteWithRoundedSize() {
        Snapshot snapshot = withDeviceMapper().createSnapshot(new SnapshotSpec(ref("local-str"), "local-newcow",
                5 * MiB, Map.of()));
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvcreate", "--yes", "--snapshot", "--size",
                "8388608b", "--name", "local-newcow", "--addtag", "open-local", "vgfix/local-str"));
        assertThat(snapshot.source().name()).isEqualTo("local-str");
    }

    @Test
    void snapshotWithoutSizeTakesTheSettingCappedAtTheOriginSize() {
        backend(true, Map.of(LvmSettings.SNAPSHOT_INITIAL_SIZE_BYTES, Long.toString(4L << 30)))
                .createSnapshot(new SnapshotSpec(ref("local-str"), "local-newcow", 0, Map.of()));
        assertThat(runner.changes().getFirst()).containsSubsequence("--size", "16777216b");

        backend(true, Map.of(LvmSettings.SNAPSHOT_INITIAL_SIZE_BYTES, Long.toString(8 * MiB)))
                .createSnapshot(new SnapshotSpec(ref("local-str"), "local-newcow", 0, Map.of()));
        assertThat(runner.changes().getFirst()).containsSubsequence("--size", "8388608b");
    }

    @Test
    void existingSnapshotOfTheSameOriginIsReturnedWithoutCommands() {
        Snapshot snapshot = withDeviceMapper().createSnapshot(new SnapshotSpec(ref("local-lin"), "local-cow", 0,
                Map.of()));
        assertThat(snapshot.ref().name()).isEqualTo("local-cow");
        assertThat(runner.changes()).isEmpty();
        assertThatThrownBy(() -> withDeviceMapper().createSnapshot(new SnapshotSpec(ref("local-str"), "local-cow", 0,
                Map.of()))).isInstanceOf(StorageException.AlreadyExists.class);
    }

    @Test
    void thinOverProvisioningCapIsCheckedBeforeLvcreate() {
        // The pool has 200 MiB of data and already 600 MiB of thin volumes: ratio 1 refuses any more.
        LvmBackend backend = backend(true, Map.of());
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(VG, "local-newthin", 100 * MiB,
                Map.of("thinPool", "local-pool"), Optional.empty())))
                .isInstanceOf(StorageException.OutOfCapacity.class).hasMessageContaining("thinOverProvisionRatio");
        assertThatThrownBy(() -> backend.createSnapshot(new SnapshotSpec(ref("local-thin"), "local-newsnap", 0,
                Map.of()))).isInstanceOf(StorageException.OutOfCapacity.class);
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void thinVolumeInAForeignOrMissingPoolIsRefused() {
        LvmBackend backend = withDeviceMapper();
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(VG, "local-x", MiB,
                Map.of("thinPool", "local-nopool"), Optional.empty()))).isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(VG, "local-x", MiB,
                Map.of("thinPool", "local-lin"), Optional.empty())))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("not a thin pool");
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void expandingAThinVolumeRunsLvextendInBytes() {
        withDeviceMapper().expandVolume(ref("local-thin"), 400 * MiB);
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvextend", "--size", "419430400b",
                "vgfix/local-thin"));
    }

    @Test
    void thickSnapshotsReportTheirCowSpaceAndGrowItInWholeExtents() {
        LvmBackend backend = withDeviceMapper();
        assertThat(backend.cowSpace(ref("local-cow"))).contains(new CowSpace(20 * MiB, 1.25));
        assertThat(backend.cowSpace(ref("local-thinsnap"))).isEmpty(); // thin: the pool's space
        assertThat(backend.cowSpace(ref("local-absent"))).isEmpty();
        runner.clear();

        backend.growCowSpace(ref("local-cow"), 30 * MiB);
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvextend", "--size", "33554432b",
                "vgfix/local-cow"));
        runner.clear();
        backend.growCowSpace(ref("local-cow"), 10 * MiB); // smaller than it is: nothing to do
        assertThat(runner.changes()).isEmpty();
        assertThatThrownBy(() -> backend.growCowSpace(ref("local-thinsnap"), 400 * MiB))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("no copy-on-write space");
        assertThatThrownBy(() -> backend.growCowSpace(ref("local-cow"), 4L << 30))
                .isInstanceOf(StorageException.OutOfCapacity.class);
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void withoutDeviceMapperSnapshotSpaceIsNotGrown() {
        LvmBackend backend = backend(false, Map.of());
        assertThatThrownBy(() -> backend.growCowSpace(ref("local-cow"), 30 * MiB))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("device-mapper");
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void deletingSnapshotsAndVolumesRunsLvremove() {
        LvmBackend backend = withDeviceMapper();
        backend.deleteSnapshot(ref("local-thinsnap"));
        backend.deleteVolume(ref("local-str"));
        assertThat(runner.changes()).containsExactly(
                List.of("lvm", "lvremove", "--yes", "vgfix/local-thinsnap"),
                List.of("lvm", "lvremove", "--yes", "vgfix/local-str"));
    }

    @Test
    void volumesWithDependantsAreBusyAndUntouched() {
        LvmBackend backend = withDeviceMapper();
        assertThatThrownBy(() -> backend.deleteVolume(ref("local-pool")))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("local-thin");
        assertThatThrownBy(() -> backend.deleteVolume(ref("local-lin")))
                .isInstanceOf(StorageException.Busy.class).hasMessageContaining("local-cow");
        assertThatThrownBy(() -> backend.deleteVolume(ref("local-cow")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("snapshot");
        assertThatThrownBy(() -> backend.deleteSnapshot(ref("local-lin")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("not a snapshot");
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void linearVolumeWithDeviceMapperIsActivatedZeroedAndWiped() {
        Volume volume = withDeviceMapper().createVolume(VolumeSpec.of(VG, "local-newvol", 10 * MiB));
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvcreate", "--yes", "--zero", "y",
                "--wipesignatures", "y", "--type", "linear", "--size", "12582912b", "--name", "local-newvol",
                "--addtag", "open-local", VG));
        assertThat(volume.sizeBytes()).isEqualTo(12 * MiB);
    }

    @Test
    void withoutDeviceMapperEveryCommandIsMetadataOnlyAndInactive() {
        LvmBackend backend = backend(false, Map.of());
        backend.createVolume(new VolumeSpec(VG, "local-newvol", 10 * MiB, Map.of("stripes", "2"), Optional.empty()));
        assertThat(runner.changes()).containsExactly(List.of("lvm", "lvcreate", "--driverloaded", "n",
                "--activate", "n", "--zero", "n", "--wipesignatures", "n", "--type", "striped", "--stripes", "2",
                "--stripesize", "65536b", "--size", "16777216b", "--name", "local-newvol", "--addtag", "open-local",
                VG));
        assertThat(runner.commands()).allSatisfy(argv -> assertThat(argv).containsSubsequence("--driverloaded", "n"));
    }

    @Test
    void withoutDeviceMapperThinAndSnapshotRequestsRunNothing() {
        LvmBackend backend = backend(false, Map.of());
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(VG, "local-newthin", MiB,
                Map.of("thinPool", "local-pool"), Optional.empty())))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("device-mapper");
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(VG, "local-newpool", MiB,
                Map.of("lvType", "thin-pool"), Optional.empty()))).isInstanceOf(StorageException.Unavailable.class);
        assertThatThrownBy(() -> backend.createSnapshot(new SnapshotSpec(ref("local-lin"), "local-newcow", 0,
                Map.of()))).isInstanceOf(StorageException.Unavailable.class);
        assertThat(runner.commands()).isEmpty();
        assertThat(backend.capabilities()).doesNotContain(Capability.THIN, Capability.SNAPSHOT);
        assertThat(backend.health().missing()).containsExactly("device-mapper");
    }

    @Test
    void withDeviceMapperThinAndSnapshotCapabilitiesAreOffered() {
        LvmBackend backend = withDeviceMapper();
        assertThat(backend.capabilities()).contains(Capability.THIN, Capability.SNAPSHOT, Capability.EXPAND,
                Capability.STRIPED);
        assertThat(backend.health().missing()).isEmpty();
        assertThat(backend.snapshots(VG)).extracting(s -> s.ref().name())
                .containsExactlyInAnyOrder("local-cow", "local-thinsnap");
    }
}
