package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.testinfra.loop.LoopDevices;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A discovery pass costs one lvm process however many LVs there are; a change makes the next pass read again. */
class DiscoveryCostLoopTest {

    private static final long MiB = 1024 * 1024;
    private static final int LV_COUNT = 24;

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    /** Every command the backend starts, through a plain wrapper around the real runner. */
    private final List<List<String>> started = new CopyOnWriteArrayList<>();
    private final CommandRunner real = ProcessCommandRunner.standard();
    private final CommandRunner counting = command -> {
        started.add(command.argv());
        return real.run(command);
    };

    @Test
    void discoveryPassWithManyVolumesRunsOneLvmProcess() {
        LvmBackend backend = new LvmBackend(LvmSettings.from(Map.of(LvmSettings.REPORT_CACHE_TTL_MILLIS, "60000")),
                counting);
        try (LoopVg vg = LoopVg.create(loops, backend, 2)) {
            for (int i = 0; i < LV_COUNT; i++) {
                backend.createVolume(VolumeSpec.of(vg.name, "local-v" + i, 4 * MiB));
            }
            backend.refresh();
            started.clear();

            discoveryPass(backend, vg.name);

            assertThat(started).hasSize(1);
            assertThat(started.getFirst()).startsWith("lvm", "fullreport");

            // A change forgets the report: the next pass reads once more, and only once.
            backend.createVolume(VolumeSpec.of(vg.name, "local-extra", 4 * MiB));
            started.clear();
            List<Volume> volumes = discoveryPass(backend, vg.name);
            assertThat(volumes).hasSize(LV_COUNT + 1);
            assertThat(started).hasSizeLessThanOrEqualTo(1);
        }
    }

    private static List<Volume> discoveryPass(LvmBackend backend, String vg) {
        assertThat(backend.pools()).extracting(p -> p.name()).contains(vg);
        assertThat(backend.pool(vg)).isPresent();
        List<Volume> volumes = backend.volumes(vg);
        assertThat(volumes.size()).isGreaterThanOrEqualTo(LV_COUNT);
        assertThat(backend.snapshots(vg)).isEmpty();
        for (Volume volume : volumes) {
            VolumeRef ref = new VolumeRef(PoolType.LVM, vg, volume.ref().name());
            assertThat(backend.volume(ref)).contains(volume);
            assertThat(backend.usage(ref).sizeBytes()).isEqualTo(volume.sizeBytes());
        }
        return volumes;
    }
}
