package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.ProgressReport;
import io.openlocal.testinfra.loop.LoopDevices;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** initPool on real loop devices with real lvm2: pvcreate + vgcreate, idempotency, and every refusal. */
class PoolInitLoopTest {

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    private final LvmBackend backend = new LvmBackend(LvmSettings.defaults(), ProcessCommandRunner.standard());

    private static PoolSpec spec(String vg, List<String> devices, boolean force) {
        return new PoolSpec(vg, PoolType.LVM, devices, force, Map.of());
    }

    @Test
    void initPoolFromTwoLoopDevicesCreatesTheVolumeGroup() {
        try (LoopVg vg = LoopVg.create(loops, backend, 2)) {
            JsonNode vgs = HostLvm.vgsJson(vg.name);
            assertThat(vgs.path("pv_count").asInt()).isEqualTo(2);
            PoolInfo pool = vg.pool;
            assertThat(pool.name()).isEqualTo(vg.name);
            assertThat(pool.type()).isEqualTo(PoolType.LVM);
            assertThat(pool.devices()).containsExactlyInAnyOrderElementsOf(vg.devices);
            assertThat(pool.capacity().totalBytes()).isEqualTo(vgs.path("vg_size").asLong());
            assertThat(pool.capacity().availableBytes()).isEqualTo(vgs.path("vg_free").asLong());
            assertThat(pool.capacity().allocatableBytes()).isEqualTo(vgs.path("vg_size").asLong());
            assertThat(pool.attributes()).containsEntry("extentSizeBytes", vgs.path("vg_extent_size").asText())
                    .containsEntry("pvCount", "2").containsKey("uuid");
            assertThat(backend.pool(vg.name)).contains(pool);
        }
    }

    @Test
    void initPoolAgainWithTheSameDevicesReturnsItAndWithOthersIsAlreadyExists() {
        try (LoopVg vg = LoopVg.create(loops, backend, 2)) {
            PoolInfo again = backend.initPool(spec(vg.name, List.of(vg.devices.get(1), vg.devices.get(0)), false));
            assertThat(again.attributes().get("uuid")).isEqualTo(vg.pool.attributes().get("uuid"));

            String other = loops.create(LoopVg.LOOP_BYTES).path();
            String before = HostLvm.allVgsJson();
            assertThatThrownBy(() -> backend.initPool(spec(vg.name, List.of(vg.devices.get(0), other), false)))
                    .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining(vg.name);
            assertThatThrownBy(() -> backend.initPool(spec(vg.name, List.of(vg.devices.get(0)), false)))
                    .isInstanceOf(StorageException.AlreadyExists.class);
            assertThat(HostLvm.allVgsJson()).isEqualTo(before);
            assertThat(HostLvm.signaturesJson(other)).doesNotContain("LVM2_member");
        }
    }

    @Test
    void missingDeviceIsNotFoundAndNothingIsWritten() {
        String present = loops.create(LoopVg.LOOP_BYTES).path();
        String vg = HostLvm.uniqueVgName();
        String before = HostLvm.allVgsJson();
        String signatures = HostLvm.signaturesJson(present);
        try {
            assertThatThrownBy(() -> backend.initPool(spec(vg, List.of(present, "/dev/oltest-no-such-disk"), false)))
                    .isInstanceOf(StorageException.NotFound.class).hasMessageContaining("/dev/oltest-no-such-disk");
            assertThat(HostLvm.allVgsJson()).isEqualTo(before);
            assertThat(HostLvm.signaturesJson(present)).isEqualTo(signatures);
        } finally {
            HostLvm.removeVgQuietly(vg, List.of(present));
        }
    }

    @Test
    void deviceHoldingAFilesystemIsRefusedUnlessForced() {
        String clean = loops.create(LoopVg.LOOP_BYTES).path();
        String formatted = loops.create(LoopVg.LOOP_BYTES).path();
        HostLvm.run("mkfs.ext4", "-q", "-F", formatted);
        String vg = HostLvm.uniqueVgName();
        String vgsBefore = HostLvm.allVgsJson();
        String cleanBefore = HostLvm.signaturesJson(clean);
        String formattedBefore = HostLvm.signaturesJson(formatted);
        assertThat(formattedBefore).contains("ext4");
        try {
            assertThatThrownBy(() -> backend.initPool(spec(vg, List.of(clean, formatted), false)))
                    .isInstanceOf(StorageException.InvalidArgument.class)
                    .hasMessageContaining(formatted).hasMessageContaining("ext4").hasMessageContaining("force");
            assertThat(HostLvm.allVgsJson()).isEqualTo(vgsBefore);
            assertThat(HostLvm.signaturesJson(clean)).isEqualTo(cleanBefore);
            assertThat(HostLvm.signaturesJson(formatted)).isEqualTo(formattedBefore);

            PoolInfo forced = backend.initPool(spec(vg, List.of(clean, formatted), true));
            assertThat(forced.devices()).hasSize(2);
            assertThat(HostLvm.signaturesJson(formatted)).contains("LVM2_member").doesNotContain("ext4");
        } finally {
            HostLvm.removeVgQuietly(vg, List.of(clean, formatted));
        }
    }

    @Test
    void deviceWithAPartitionTableIsRefused() throws Exception {
        String device = loops.create(LoopVg.LOOP_BYTES).path();
        // An MBR with one Linux partition (no partitioning tool on this machine: the 66 bytes are written here).
        try (RandomAccessFile disk = new RandomAccessFile(device, "rw")) {
            ByteBuffer entry = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            entry.put(0, (byte) 0x00).put(4, (byte) 0x83).putInt(8, 2048).putInt(12, 4096);
            disk.seek(446);
            disk.write(entry.array());
            disk.seek(510);
            disk.write(new byte[] {0x55, (byte) 0xaa});
        }
        String signatures = HostLvm.signaturesJson(device);
        assertThat(signatures).contains("\"dos\"");
        String vg = HostLvm.uniqueVgName();
        String before = HostLvm.allVgsJson();
        try {
            assertThatThrownBy(() -> backend.initPool(spec(vg, List.of(device), false)))
                    .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("dos");
            assertThat(HostLvm.allVgsJson()).isEqualTo(before);
            assertThat(HostLvm.signaturesJson(device)).isEqualTo(signatures);
        } finally {
            HostLvm.removeVgQuietly(vg, List.of());
        }
    }

    @Test
    void mountedDeviceIsRefusedEvenWhenForced() {
        String device = loops.create(LoopVg.LOOP_BYTES).path();
        HostLvm.run("mkfs.ext4", "-q", "-F", device);
        Path mountPoint = loops.directory("mnt");
        HostLvm.run("mount", device, mountPoint.toString());
        String vg = HostLvm.uniqueVgName();
        String before = HostLvm.allVgsJson();
        try {
            assertThatThrownBy(() -> backend.initPool(spec(vg, List.of(device), true)))
                    .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("in use")
                    .hasMessageContaining(mountPoint.toString());
            assertThat(HostLvm.allVgsJson()).isEqualTo(before);
            assertThat(HostLvm.signaturesJson(device)).contains("ext4");
        } finally {
            HostLvm.run("umount", mountPoint.toString());
            HostLvm.removeVgQuietly(vg, List.of());
        }
    }

    @Test
    void deviceThatIsAPvOfAnotherVgIsRefused() {
        try (LoopVg vg = LoopVg.create(loops, backend, 1)) {
            String other = HostLvm.uniqueVgName();
            String before = HostLvm.allVgsJson();
            assertThatThrownBy(() -> backend.initPool(spec(other, vg.devices, true)))
                    .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("already a PV of VG "
                            + vg.name);
            assertThat(HostLvm.allVgsJson()).isEqualTo(before);
        }
    }

    @Test
    void orphanPvLeftByACrashBeforeVgcreateIsReused() {
        String device = loops.create(LoopVg.LOOP_BYTES).path();
        HostLvm.lvmOrFail("pvcreate", device);
        String vg = HostLvm.uniqueVgName();
        try {
            PoolInfo pool = backend.initPool(spec(vg, List.of(device), false));
            assertThat(pool.devices()).containsExactly(device);
        } finally {
            HostLvm.removeVgQuietly(vg, List.of(device));
        }
    }

    @Test
    void initPoolReportsTheChecksEachPvcreateAndTheVgcreateAsProgress() {
        List<ProgressReport> reports = new CopyOnWriteArrayList<>();
        LvmBackend watched = new LvmBackend(LvmSettings.defaults(), ProcessCommandRunner.standard(), reports::add);
        String orphan = loops.create(LoopVg.LOOP_BYTES).path();
        String first = loops.create(LoopVg.LOOP_BYTES).path();
        String second = loops.create(LoopVg.LOOP_BYTES).path();
        HostLvm.lvmOrFail("pvcreate", orphan); // as a crash before vgcreate leaves it: reused, not labelled again
        String vg = HostLvm.uniqueVgName();
        try {
            watched.initPool(spec(vg, List.of(first, orphan, second), false));
            String op = "initialising VG " + vg + ": ";
            assertThat(reports).extracting(ProgressReport::line).containsExactly(
                    op + "checking " + first + ", " + orphan + ", " + second,
                    op + "pvcreate " + first + " (1/3)",
                    op + "pvcreate " + second + " (2/3)",
                    op + "vgcreate " + vg + " (3/3)",
                    op + "vgcreate " + vg + " (3/3)");
            assertThat(reports.getLast().finished()).isTrue();
            assertThat(HostLvm.vgsJson(vg).path("pv_count").asInt()).isEqualTo(3);

            // Again: it exists, so only the checks are reported before the end.
            reports.clear();
            watched.initPool(spec(vg, List.of(first, orphan, second), false));
            assertThat(reports).extracting(ProgressReport::describe).containsExactly(
                    "checking " + first + ", " + orphan + ", " + second,
                    "checking " + first + ", " + orphan + ", " + second);
        } finally {
            HostLvm.removeVgQuietly(vg, List.of(first, orphan, second));
        }
    }

    @Test
    void aFailedVgcreateRemovesThePvLabelsEachPvcreateWrote() {
        String a = loops.create(LoopVg.LOOP_BYTES).path();
        String b = loops.create(LoopVg.LOOP_BYTES).path();
        // Real lvm2 for everything but vgcreate, which fails as it would on a full metadata area.
        CommandRunner real = ProcessCommandRunner.standard();
        CommandRunner failingVgcreate = command -> command.tool().equals("vgcreate")
                ? new CommandResult(command, 5, "", "  injected: vgcreate failed", 0) : real.run(command);
        List<ProgressReport> reports = new CopyOnWriteArrayList<>();
        LvmBackend watched = new LvmBackend(LvmSettings.defaults(), failingVgcreate, reports::add);
        String vg = HostLvm.uniqueVgName();
        try {
            assertThatThrownBy(() -> watched.initPool(spec(vg, List.of(a, b), false)))
                    .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("injected");
            assertThat(HostLvm.signaturesJson(a)).doesNotContain("LVM2_member");
            assertThat(HostLvm.signaturesJson(b)).doesNotContain("LVM2_member");
            assertThat(reports).extracting(ProgressReport::describe).containsSubsequence(
                    "pvcreate " + a + " (1/3)", "pvcreate " + b + " (2/3)", "vgcreate " + vg + " (3/3)");
            assertThat(reports.getLast().finished()).isTrue();
        } finally {
            HostLvm.removeVgQuietly(vg, List.of(a, b));
        }
    }

    @Test
    void badVolumeGroupNamesAndDevicePathsAreRefusedBeforeAnythingRuns() {
        String device = loops.create(LoopVg.LOOP_BYTES).path();
        String vgsBefore = HostLvm.allVgsJson();
        String signatures = HostLvm.signaturesJson(device);
        List<String> badNames = List.of("a/b", "..", ".", "has space", "-leading", "x;rm -rf /", "$(id)", "a`b`",
                "", "x".repeat(128));
        for (String bad : badNames) {
            assertThatThrownBy(() -> backend.initPool(spec(bad, List.of(device), false)))
                    .as("VG name '%s'", bad).isInstanceOf(StorageException.InvalidArgument.class)
                    .hasMessageContaining("name");
        }
        List<String> badDevices = List.of("loop0", "/dev/../etc/passwd", "/etc/passwd", "/dev/-x", "/dev/a b",
                "/dev/x;y");
        String vg = HostLvm.uniqueVgName();
        for (String bad : badDevices) {
            assertThatThrownBy(() -> backend.initPool(spec(vg, List.of(device, bad), false)))
                    .as("device '%s'", bad).isInstanceOf(StorageException.InvalidArgument.class)
                    .hasMessageContaining("devices[1]");
        }
        List<String> twice = new ArrayList<>(List.of(device, device));
        assertThatThrownBy(() -> backend.initPool(spec(vg, twice, false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> backend.initPool(new PoolSpec(vg, PoolType.LVM, List.of(device), false,
                Map.of("stripes", "2")))).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("'stripes'");
        assertThatThrownBy(() -> backend.initPool(new PoolSpec(vg, PoolType.DEVICE, List.of(device), false,
                Map.of()))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(HostLvm.allVgsJson()).isEqualTo(vgsBefore);
        assertThat(HostLvm.signaturesJson(device)).isEqualTo(signatures);
    }

    @Test
    void extentSizeOptionIsPassedToVgcreate() {
        String device = loops.create(LoopVg.LOOP_BYTES).path();
        String vg = HostLvm.uniqueVgName();
        try {
            PoolInfo pool = backend.initPool(new PoolSpec(vg, PoolType.LVM, List.of(device), false,
                    Map.of("extentSizeBytes", Long.toString(1024 * 1024))));
            assertThat(pool.attributes()).containsEntry("extentSizeBytes", "1048576");
            assertThat(HostLvm.vgsJson(vg).path("vg_extent_size").asLong()).isEqualTo(1024 * 1024);
            assertThatThrownBy(() -> backend.initPool(new PoolSpec(vg, PoolType.LVM, List.of(device), false,
                    Map.of("extentSizeBytes", Long.toString(8 * 1024 * 1024)))))
                    .isInstanceOf(StorageException.AlreadyExists.class);
        } finally {
            HostLvm.removeVgQuietly(vg, List.of(device));
        }
    }
}
