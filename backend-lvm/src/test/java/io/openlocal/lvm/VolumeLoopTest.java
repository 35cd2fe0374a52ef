package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.lvm.command.LvmFailures;
import io.openlocal.testinfra.loop.LoopDevices;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Volumes on a real VG of two loop devices: create, layouts, expand, delete, idempotency, ownership, refusals. */
class VolumeLoopTest {

    private static final long MiB = 1024 * 1024;

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    /** Every lvm command that would change something, as run through the backend (a wrapper, not a mock). */
    private final List<List<String>> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CommandRunner real = ProcessCommandRunner.standard();
    private final LvmBackend backend = new LvmBackend(LvmSettings.defaults(), command -> {
        List<String> argv = command.argv();
        if (argv.getFirst().equals("lvm") && !List.of("fullreport", "version").contains(argv.get(1))) {
            changes.add(argv);
        }
        return real.run(command);
    });
    private LoopVg vg;

    @BeforeEach
    void makeVg() {
        vg = LoopVg.create(loops, backend, 2);
        changes.clear();
    }

    @AfterEach
    void removeVg() {
        vg.close();
    }

    private VolumeRef ref(String name) {
        return new VolumeRef(PoolType.LVM, vg.name, name);
    }

    private JsonNode lvRow(String name) {
        return HostLvm.lvRows(vg.name).stream().filter(row -> row.path("lv_name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no LV " + name));
    }

    @Test
    void linearVolumeIsRoundedUpToWholeExtentsAndTagged() {
        Volume volume = backend.createVolume(VolumeSpec.of(vg.name, "local-lin", 10 * MiB));
        assertThat(volume.sizeBytes()).isEqualTo(12 * MiB);
        assertThat(volume.owned()).isTrue();
        assertThat(volume.attributes()).containsEntry("lvType", "linear").containsEntry("tags", "open-local");
        assertThat(volume.devicePath().isPresent()).isEqualTo(HostLvm.DEVICE_MAPPER);
        JsonNode row = lvRow("local-lin");
        assertThat(row.path("lv_size").asLong()).isEqualTo(12 * MiB);
        assertThat(row.path("lv_tags").asText()).isEqualTo("open-local");
        assertThat(backend.volume(ref("local-lin"))).contains(volume);
        assertThat(backend.usage(ref("local-lin")).allocatedBytes()).isEqualTo(12 * MiB);
    }

    @Test
    void stripedVolumeUsesBothDevicesAndRoundsToTheStripeBoundary() {
        Volume volume = backend.createVolume(new VolumeSpec(vg.name, "local-str", 10 * MiB,
                Map.of("stripes", "2", "stripeSizeBytes", "131072"), Optional.empty()));
        assertThat(volume.sizeBytes()).isEqualTo(16 * MiB);
        assertThat(volume.attributes()).containsEntry("lvType", "striped").containsEntry("stripes", "2")
                .containsEntry("stripeSizeBytes", "131072");
        JsonNode seg = HostLvm.json(HostLvm.lvmOrFail("lvs", "--reportformat", "json", "--units", "b", "--nosuffix",
                "-o", "lv_name,stripes,stripe_size,devices", vg.name + "/local-str").stdout())
                .path("report").get(0).path("lv").get(0);
        assertThat(seg.path("stripes").asInt()).isEqualTo(2);
        assertThat(seg.path("stripe_size").asLong()).isEqualTo(131072);
        assertThat(seg.path("devices").asText()).contains(vg.devices.get(0)).contains(vg.devices.get(1));
    }

    @Test
    void expandGrowsSameSizeSucceedsAndShrinkIsRefused() {
        backend.createVolume(VolumeSpec.of(vg.name, "local-grow", 8 * MiB));
        Volume grown = backend.expandVolume(ref("local-grow"), 17 * MiB);
        assertThat(grown.sizeBytes()).isEqualTo(20 * MiB);
        assertThat(lvRow("local-grow").path("lv_size").asLong()).isEqualTo(20 * MiB);

        String before = HostLvm.lvsJson(vg.name);
        assertThat(backend.expandVolume(ref("local-grow"), 17 * MiB).sizeBytes()).isEqualTo(20 * MiB);
        assertThat(backend.expandVolume(ref("local-grow"), 20 * MiB).sizeBytes()).isEqualTo(20 * MiB);
        assertThatThrownBy(() -> backend.expandVolume(ref("local-grow"), 8 * MiB))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("shrink");
        assertThatThrownBy(() -> backend.expandVolume(ref("local-grow"), 10L << 30))
                .isInstanceOf(StorageException.OutOfCapacity.class);
        assertThatThrownBy(() -> backend.expandVolume(ref("local-absent"), 10 * MiB))
                .isInstanceOf(StorageException.NotFound.class);
        assertThat(changes).extracting(argv -> argv.get(1)).containsExactly("lvcreate", "lvextend");
        assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(before);
    }

    @Test
    void deleteRemovesTheLvAndDeletingWhatIsAbsentSucceeds() {
        backend.createVolume(VolumeSpec.of(vg.name, "local-gone", 4 * MiB));
        backend.deleteVolume(ref("local-gone"));
        assertThat(HostLvm.lvRows(vg.name)).isEmpty();
        assertThat(backend.volume(ref("local-gone"))).isEmpty();
        backend.deleteVolume(ref("local-gone"));
        backend.deleteVolume(new VolumeRef(PoolType.LVM, "oltestnovg", "local-gone"));
    }

    @Test
    void createTwiceWithSameSizeAndLayoutReturnsTheSameVolume() {
        Volume first = backend.createVolume(VolumeSpec.of(vg.name, "local-idem", 10 * MiB));
        String before = HostLvm.lvsJson(vg.name);
        // 11 MiB rounds to the same 12 MiB.
        Volume second = backend.createVolume(VolumeSpec.of(vg.name, "local-idem", 11 * MiB));
        assertThat(second).isEqualTo(first);
        assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(before);
    }

    @Test
    void createWithSameNameButOtherSizeOrLayoutIsAlreadyExists() {
        backend.createVolume(VolumeSpec.of(vg.name, "local-idem", 8 * MiB));
        String before = HostLvm.lvsJson(vg.name);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, "local-idem", 16 * MiB)))
                .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining("local-idem");
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(vg.name, "local-idem", 8 * MiB,
                Map.of("stripes", "2"), Optional.empty()))).isInstanceOf(StorageException.AlreadyExists.class)
                .hasMessageContaining("striped");
        assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(before);
    }

    @Test
    void capacityFiguresEqualWhatVgsReports() {
        backend.createVolume(VolumeSpec.of(vg.name, "local-a", 8 * MiB));
        backend.createVolume(new VolumeSpec(vg.name, "local-b", 8 * MiB, Map.of("stripes", "2"), Optional.empty()));
        Capacity capacity = backend.pool(vg.name).orElseThrow().capacity();
        JsonNode vgs = HostLvm.vgsJson(vg.name);
        assertThat(capacity.totalBytes()).isEqualTo(vgs.path("vg_size").asLong());
        assertThat(capacity.availableBytes()).isEqualTo(vgs.path("vg_free").asLong());
        assertThat(capacity.allocatableBytes()).isEqualTo(vgs.path("vg_size").asLong());
        assertThat(capacity.usedBytes()).isEqualTo(16 * MiB);
    }

    @Test
    void foreignLvIsReportedUnownedCountedAgainstAllocatableAndNeverTouched() {
        HostLvm.lvmOrFail("lvcreate", "--activate", "n", "--zero", "n", "--wipesignatures", "n", "--size", "12m",
                "--name", "someoneelse", vg.name);
        backend.refresh();
        Volume foreign = backend.volume(ref("someoneelse")).orElseThrow();
        assertThat(foreign.owned()).isFalse();
        assertThat(backend.volumes(vg.name)).extracting(Volume::owned).containsExactly(false);
        JsonNode vgs = HostLvm.vgsJson(vg.name);
        Capacity capacity = backend.pool(vg.name).orElseThrow().capacity();
        assertThat(capacity.allocatableBytes()).isEqualTo(vgs.path("vg_size").asLong() - 12 * MiB);
        assertThat(capacity.availableBytes()).isEqualTo(vgs.path("vg_free").asLong());

        String before = HostLvm.lvsJson(vg.name);
        assertThatThrownBy(() -> backend.deleteVolume(ref("someoneelse")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("local");
        assertThatThrownBy(() -> backend.expandVolume(ref("someoneelse"), 64 * MiB))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, "someoneelse", 12 * MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(before);
    }

    @Test
    void untaggedPrefixedLvsFromOpenLocalAreAdoptedUnlessAdoptionIsOff() {
        HostLvm.lvmOrFail("lvcreate", "--activate", "n", "--zero", "n", "--wipesignatures", "n", "--size", "8m",
                "--name", "local-0a1b2c3d", vg.name);
        backend.refresh();
        assertThat(backend.volume(ref("local-0a1b2c3d")).orElseThrow().owned()).isTrue();
        Volume grown = backend.expandVolume(ref("local-0a1b2c3d"), 12 * MiB);
        assertThat(grown.sizeBytes()).isEqualTo(12 * MiB);

        LvmBackend strict = new LvmBackend(LvmSettings.from(Map.of(LvmSettings.ADOPT_UNTAGGED_LVS, "false")),
                ProcessCommandRunner.standard());
        assertThat(strict.volume(ref("local-0a1b2c3d")).orElseThrow().owned()).isFalse();
        String before = HostLvm.lvsJson(vg.name);
        assertThatThrownBy(() -> strict.deleteVolume(ref("local-0a1b2c3d")))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("adoptUntaggedLvs");
        assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(before);
        backend.deleteVolume(ref("local-0a1b2c3d"));
        assertThat(HostLvm.lvRows(vg.name)).isEmpty();
    }

    @Test
    void badSizesAreRefusedAndChangeNothing() {
        backend.createVolume(VolumeSpec.of(vg.name, "local-keep", 4 * MiB));
        String lvsBefore = HostLvm.lvsJson(vg.name);
        String vgsBefore = HostLvm.allVgsJson();
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, "local-x", 0)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("sizeBytes");
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, "local-x", -4096)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, "local-x", Long.MAX_VALUE)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(vg.name, "local-x", Long.MAX_VALUE - 5,
                Map.of("stripes", "2"), Optional.empty()))).isInstanceOf(StorageException.InvalidArgument.class);
        long free = HostLvm.vgsJson(vg.name).path("vg_free").asLong();
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, "local-x", free + 1)))
                .isInstanceOf(StorageException.OutOfCapacity.class).hasMessageContaining(vg.name);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, "local-x", 1L << 50)))
                .isInstanceOf(StorageException.OutOfCapacity.class);
        assertThatThrownBy(() -> backend.expandVolume(ref("local-keep"), 0))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.expandVolume(ref("local-keep"), free + 8 * MiB))
                .isInstanceOf(StorageException.OutOfCapacity.class);
        // Refused by the backend's own checks: lvcreate/lvextend never ran.
        assertThat(changes).extracting(argv -> argv.get(1)).containsExactly("lvcreate");
        assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(lvsBefore);
        assertThat(HostLvm.allVgsJson()).isEqualTo(vgsBefore);
    }

    @Test
    void badNamesAndParametersAreRefusedAndChangeNothing() {
        String lvsBefore = HostLvm.lvsJson(vg.name);
        String vgsBefore = HostLvm.allVgsJson();
        List<String> badNames = List.of("local/x", "../local", "..", "local x", "-local", "local;rm -rf /",
                "local$(id)", "local`id`", "local|x", "local&x", "local>x", "local\nx", "nolocalprefix", "",
                "local-" + "x".repeat(130), "local_tmeta", "local-x_rimage");
        for (String bad : badNames) {
            assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(vg.name, bad, 4 * MiB)))
                    .as("name '%s'", bad).isInstanceOf(StorageException.InvalidArgument.class)
                    .hasMessageContaining("name");
            assertThatThrownBy(() -> backend.deleteVolume(ref(bad))).as("delete '%s'", bad)
                    .isInstanceOf(StorageException.InvalidArgument.class);
        }
        for (String badPool : List.of("vg/x", "..", "-vg", "vg;x")) {
            assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of(badPool, "local-x", 4 * MiB)))
                    .as("pool '%s'", badPool).isInstanceOf(StorageException.InvalidArgument.class)
                    .hasMessageContaining("pool");
        }
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of("oltestnosuchvg", "local-x", 4 * MiB)))
                .isInstanceOf(StorageException.NotFound.class);
        Map<Map<String, String>, String> badParameters = Map.of(
                Map.of("bogus", "1"), "'bogus'",
                Map.of("stripes", "two"), "stripes",
                Map.of("stripes", "3"), "stripes",
                Map.of("stripes", "2", "stripeSizeBytes", "3000"), "stripeSizeBytes",
                Map.of("stripes", "2", "stripeSizeBytes", "2048"), "stripeSizeBytes",
                Map.of("stripes", "2", "stripeSizeBytes", Long.toString(8 * MiB)), "stripeSizeBytes",
                Map.of("lvType", "raid1"), "lvType",
                Map.of("lvType", "linear", "stripes", "2"), "stripes",
                Map.of("lvType", "striped"), "stripes",
                Map.of("stripeSizeBytes", "65536"), "stripeSizeBytes");
        badParameters.forEach((parameters, key) -> assertThatThrownBy(() -> backend.createVolume(
                new VolumeSpec(vg.name, "local-x", 4 * MiB, parameters, Optional.empty())))
                .as("parameters %s", parameters).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining(key));
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec(vg.name, "local-x", 4 * MiB, Map.of(),
                Optional.of(ref("local-y"))))).isInstanceOf(StorageException.Unsupported.class);
        assertThat(changes).isEmpty();
        assertThat(HostLvm.lvsJson(vg.name)).isEqualTo(lvsBefore);
        assertThat(HostLvm.allVgsJson()).isEqualTo(vgsBefore);
    }

    @Test
    void lvmOwnNoSpaceMessagesMapToOutOfCapacity() {
        // Run lvm directly past the backend's own check: its stderr must still become OutOfCapacity.
        CommandResult create = HostLvm.lvm("lvcreate", "--activate", "n", "--zero", "n", "--wipesignatures", "n",
                "--size", "10g", "--name", "local-huge", vg.name);
        assertThat(create.succeeded()).isFalse();
        assertThat(LvmFailures.of(create, "volume")).isInstanceOf(StorageException.OutOfCapacity.class);
        backend.createVolume(VolumeSpec.of(vg.name, "local-small", 4 * MiB));
        CommandResult extend = HostLvm.lvm("lvextend", "--size", "10g", vg.name + "/local-small");
        assertThat(extend.succeeded()).isFalse();
        assertThat(LvmFailures.of(extend, "volume")).isInstanceOf(StorageException.OutOfCapacity.class);
        CommandResult duplicate = HostLvm.lvm("lvcreate", "--activate", "n", "--zero", "n", "--wipesignatures", "n",
                "--size", "4m", "--name", "local-small", vg.name);
        assertThat(LvmFailures.of(duplicate, "volume")).isInstanceOf(StorageException.AlreadyExists.class);
        CommandResult missing = HostLvm.lvm("lvremove", "--yes", vg.name + "/local-nothere");
        assertThat(LvmFailures.of(missing, "volume")).isInstanceOf(StorageException.NotFound.class);
    }

    @Test
    void volumesOfAnUnknownPoolAreNotFound() {
        assertThatThrownBy(() -> backend.volumes("oltestnosuchvg")).isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.snapshots("oltestnosuchvg")).isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.usage(ref("local-none"))).isInstanceOf(StorageException.NotFound.class);
        assertThat(backend.volume(new VolumeRef(PoolType.LVM, "oltestnosuchvg", "local-x"))).isEmpty();
        assertThatThrownBy(() -> backend.volume(new VolumeRef(PoolType.SPDK, vg.name, "local-x")))
                .isInstanceOf(StorageException.InvalidArgument.class);
    }
}
