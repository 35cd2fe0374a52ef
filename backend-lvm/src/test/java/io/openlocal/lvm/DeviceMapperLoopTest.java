package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.testinfra.loop.LoopDevices;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thin pools, thin volumes and snapshots against the real kernel: refused up front where device-mapper is
 * missing (this build machine), exercised for real where it is present. The command lines of the real path are
 * also pinned by {@link RecordedCommandsTest}, and its report handling by {@link FullReportParserTest}.
 */
class DeviceMapperLoopTest {

    private static final long MiB = 1024 * 1024;

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    private final List<List<String>> started = new CopyOnWriteArrayList<>();
    private final CommandRunner real = ProcessCommandRunner.standard();
    private final LvmBackend backend = new LvmBackend(LvmSettings.defaults(), command -> {
        started.add(command.argv());
        return real.run(command);
    });

    @Test
    void thinPoolsThinVolumesAndSnapshotsAreUnavailableWithoutDeviceMapper() {
        Assumptions.assumeFalse(HostLvm.DEVICE_MAPPER,
                "this kernel has device-mapper, so the refusal path does not apply (the real path runs below)");
        assertThat(backend.deviceMapperPresent()).isFalse();
        try (LoopVg vg = LoopVg.create(loops, backend, 2)) {
            backend.createVolume(VolumeSpec.of(vg.name, "local-base", 8 * MiB));
            String lvsBefore = HostLvm.lvsJson(vg.name);
            String vgsBefore = HostLvm.allVgsJson();
            started.clear();

            assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(vg.name, "local-pool", 32 * MiB,
                    Map.of("lvType", "thin-pool"), Optional.empty())))
                    .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("device-mapper")
                    .hasMessageContaining("nothing was changed");
            assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(vg.name, "local-thin", 8 * MiB,
                    Map.of("thinPool", "local-pool"), Optional.empty())))
                    .isInstanceOf(StorageException.Unavailable.class);
            VolumeRef base = new VolumeRef(PoolType.LVM, vg.name, "local-base");
            assertThatThrownBy(() -> backend.createSnapshot(new SnapshotSpec(base, "local-snap", 4 * MiB, Map.of())))
                    .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("snapshot");
            String device = loops.create(LoopVg.LOOP_BYTES).path();
            String signatures = HostLvm.signaturesJson(device);
            assertThatThrownBy(() -> backend.initPool(new PoolSpec(HostLvm.uniqueVgName(), PoolType.LVM,
                    List.of(device), false, Map.of("thinPool", "local-pool", "thinPoolSizeBytes", "33554432"))))
                    .isInstanceOf(StorageException.Unavailable.class);

            assertThat(started).as("no command may run for a refused request").isEmpty();
            assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(lvsBefore);
            assertThat(HostLvm.allVgsJson()).isEqualTo(vgsBefore);
            assertThat(HostLvm.signaturesJson(device)).isEqualTo(signatures);
        }
        Health health = backend.health();
        assertThat(health.ready()).isTrue();
        assertThat(health.missing()).containsExactly("device-mapper");
        assertThat(backend.capabilities()).containsExactlyInAnyOrder(Capability.EXPAND, Capability.STRIPED);
    }

    @Test
    void volumesHaveNoDevicePathWithoutDeviceMapper() {
        Assumptions.assumeFalse(HostLvm.DEVICE_MAPPER, "this kernel has device-mapper: LVs are active there");
        try (LoopVg vg = LoopVg.create(loops, backend, 1)) {
            Volume volume = backend.createVolume(VolumeSpec.of(vg.name, "local-inactive", 4 * MiB));
            assertThat(volume.devicePath()).isEmpty();
            assertThat(volume.attributes()).containsEntry("active", "unknown");
        }
    }

    @Test
    void thinAndSnapshotLifecycleWithDeviceMapper() {
        Assumptions.assumeTrue(HostLvm.DEVICE_MAPPER, "needs the kernel's device-mapper, which this machine lacks"
                + " ('dmsetup version' fails); the command lines are pinned by RecordedCommandsTest instead");
        try (LoopVg vg = LoopVg.create(loops, backend, 2)) {
            Volume pool = backend.createVolume(new VolumeSpec(vg.name, "local-pool", 32 * MiB,
                    Map.of("lvType", "thin-pool"), Optional.empty()));
            assertThat(pool.attributes()).containsEntry("lvType", "thin-pool");
            Volume thin = backend.createVolume(new VolumeSpec(vg.name, "local-thin", 16 * MiB,
                    Map.of("thinPool", "local-pool"), Optional.empty()));
            assertThat(thin.devicePath()).hasValue("/dev/" + vg.name + "/local-thin");
            VolumeRef thinRef = new VolumeRef(PoolType.LVM, vg.name, "local-thin");
            Snapshot thinSnap = backend.createSnapshot(new SnapshotSpec(thinRef, "local-tsnap", 0, Map.of()));
            assertThat(thinSnap.source()).isEqualTo(thinRef);
            assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(vg.name, "local-thin2", 64 * MiB,
                    Map.of("thinPool", "local-pool"), Optional.empty())))
                    .isInstanceOf(StorageException.OutOfCapacity.class);

            backend.createVolume(VolumeSpec.of(vg.name, "local-lin", 8 * MiB));
            VolumeRef linRef = new VolumeRef(PoolType.LVM, vg.name, "local-lin");
            Snapshot cow = backend.createSnapshot(new SnapshotSpec(linRef, "local-csnap", 4 * MiB, Map.of()));
            assertThat(cow.sizeBytes()).isEqualTo(8 * MiB);
            assertThat(backend.snapshots(vg.name)).extracting(s -> s.ref().name())
                    .containsExactlyInAnyOrder("local-tsnap", "local-csnap");

            backend.deleteSnapshot(new VolumeRef(PoolType.LVM, vg.name, "local-csnap"));
            backend.deleteSnapshot(new VolumeRef(PoolType.LVM, vg.name, "local-tsnap"));
            backend.deleteVolume(thinRef);
            backend.deleteVolume(new VolumeRef(PoolType.LVM, vg.name, "local-pool"));
            backend.deleteVolume(linRef);
            assertThat(HostLvm.lvRows(vg.name)).isEmpty();
        }
    }
}
