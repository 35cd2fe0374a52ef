package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.testinfra.loop.LoopDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Parallel creates on one VG never allocate more than it has and leave only whole, owned LVs. */
class ConcurrentCreateLoopTest {

    private static final long MiB = 1024 * 1024;
    private static final long LV_BYTES = 8 * MiB;

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    @Test
    void thirtyTwoParallelCreatesNeverExceedCapacity() throws Exception {
        LvmBackend backend = new LvmBackend(LvmSettings.defaults(), ProcessCommandRunner.standard());
        try (LoopVg vg = LoopVg.create(loops, backend, 2)) {
            long free = HostLvm.vgsJson(vg.name).path("vg_free").asLong();
            List<Outcome> outcomes = createInParallel(List.of(backend), vg.name, 32);
            assertWholeAndWithinCapacity(vg.name, free, outcomes);
        }
    }

    @Test
    void twoBackendsRacingOnOneVgStillNeverExceedCapacity() throws Exception {
        // Two backends do not share the in-JVM lock: lvm2's own VG lock and its "insufficient free space"
        // (mapped to OutOfCapacity) keep the result consistent.
        LvmBackend first = new LvmBackend(LvmSettings.defaults(), ProcessCommandRunner.standard());
        LvmBackend second = new LvmBackend(LvmSettings.defaults(), ProcessCommandRunner.standard());
        try (LoopVg vg = LoopVg.create(loops, first, 2)) {
            long free = HostLvm.vgsJson(vg.name).path("vg_free").asLong();
            List<Outcome> outcomes = createInParallel(List.of(first, second), vg.name, 24);
            assertWholeAndWithinCapacity(vg.name, free, outcomes);
        }
    }

    private record Outcome(String name, boolean created, Throwable error) {
    }

    private static List<Outcome> createInParallel(List<LvmBackend> backends, String vg, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = "local-par" + i;
                LvmBackend backend = backends.get(i % backends.size());
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        backend.createVolume(VolumeSpec.of(vg, name, LV_BYTES));
                        return new Outcome(name, true, null);
                    } catch (RuntimeException e) {
                        return new Outcome(name, false, e);
                    }
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get(120, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertWholeAndWithinCapacity(String vg, long freeBefore, List<Outcome> outcomes) {
        List<Outcome> failed = outcomes.stream().filter(o -> !o.created()).toList();
        assertThat(failed).allSatisfy(o -> assertThat(o.error()).as(o.name())
                .isInstanceOf(StorageException.OutOfCapacity.class));
        List<String> created = outcomes.stream().filter(Outcome::created).map(Outcome::name).toList();
        // Every create that could fit did: the VG is packed exactly, not under- or over-committed.
        assertThat(created).hasSize((int) (freeBefore / LV_BYTES));

        List<JsonNode> rows = HostLvm.lvRows(vg);
        assertThat(rows).extracting(row -> row.path("lv_name").asText()).containsExactlyInAnyOrderElementsOf(created);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.path("lv_size").asLong()).isEqualTo(LV_BYTES);
            assertThat(row.path("lv_tags").asText()).isEqualTo("open-local");
            assertThat(row.path("seg_count").asInt()).isPositive();
        });
        JsonNode vgs = HostLvm.vgsJson(vg);
        assertThat(vgs.path("vg_free").asLong()).isEqualTo(freeBefore - created.size() * LV_BYTES)
                .isGreaterThanOrEqualTo(0);
    }
}
