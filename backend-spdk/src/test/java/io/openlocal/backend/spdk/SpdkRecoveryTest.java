package io.openlocal.backend.spdk;

import static io.openlocal.backend.spdk.SpdkFixture.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.spdk.export.NvmfExport;
import io.openlocal.backend.spdk.export.VhostExport;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Target restarts: what comes back, what the backend restores, and what it reports it could not. */
class SpdkRecoveryTest {

    private SpdkFixture fx;
    private SpdkBackend backend;
    private final VolumeRef a = new VolumeRef(PoolType.SPDK, "p", "a");
    private final VolumeRef b = new VolumeRef(PoolType.SPDK, "p", "b");

    @BeforeEach
    void setUp() {
        fx = new SpdkFixture();
        backend = fx.backend();
        fx.pool(backend, "p", 64);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void afterARestartPoolsVolumesAndExportsComeBackWithTheSameIdentities() {
        String uuidA = backend.createVolume(VolumeSpec.of("p", "a", 8 * MiB)).attributes().get("uuid");
        backend.createVolume(VolumeSpec.of("p", "b", 4 * MiB));
        NvmfExport nvmf = backend.exports().exportNvmf(a);
        VhostExport vhost = backend.exports().exportVhost(b);
        String poolUuid = backend.pool("p").orElseThrow().attributes().get("uuid");

        fx.target.restart();
        assertThat(Files.exists(vhost.socket())).isFalse(); // the target took its sockets down

        // The first call recovers. The client may notice the old connection's end only during that call; then the
        // call reports Unavailable ("safe to retry"), as any call does whose connection was renewed under it.
        Volume back;
        try {
            back = backend.volume(a).orElseThrow();
        } catch (StorageException.Unavailable renewed) {
            assertThat(renewed).hasMessageContaining("safe to retry");
            back = backend.volume(a).orElseThrow();
        }
        assertThat(back.attributes().get("uuid")).isEqualTo(uuidA);
        assertThat(back.sizeBytes()).isEqualTo(8 * MiB);
        assertThat(backend.pool("p").orElseThrow().attributes().get("uuid")).isEqualTo(poolUuid);
        assertThat(backend.target().subsystem(nvmf.nqn()).orElseThrow().namespaces())
                .singleElement().satisfies(ns -> assertThat(ns.uuid()).isEqualTo(uuidA));
        assertThat(Files.exists(vhost.socket())).isTrue();
        RecoveryReport report = backend.lastRecovery();
        assertThat(report.clean()).isTrue();
        assertThat(report.reattached()).singleElement().asString().contains("p: aio:");
        assertThat(report.restoredExports()).hasSize(2);
    }

    @Test
    void aTargetKilledMidCallGivesAClearErrorAndTheRetryAfterRestartCreatesTheVolumeOnce() throws Exception {
        backend.createVolume(VolumeSpec.of("p", "b", 4 * MiB));
        NvmfExport exportB = backend.exports().exportNvmf(b);
        fx.target.faults().delay("bdev_lvol_create", Duration.ofSeconds(10));
        CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
            try {
                backend.createVolume(VolumeSpec.of("p", "a", 8 * MiB));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        Thread.sleep(300);
        long start = System.nanoTime();
        fx.target.stop();
        assertThat(call.get()).isInstanceOf(StorageException.Unavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

        assertThatThrownBy(() -> backend.volumes("p")).isInstanceOf(StorageException.Unavailable.class);
        fx.target.faults().clear();
        fx.target.start();

        Volume created = backend.createVolume(VolumeSpec.of("p", "a", 8 * MiB));
        assertThat(created.sizeBytes()).isEqualTo(8 * MiB);
        assertThat(backend.createVolume(VolumeSpec.of("p", "a", 8 * MiB)).attributes().get("uuid"))
                .isEqualTo(created.attributes().get("uuid"));
        assertThat(backend.volumes("p")).extracting(v -> v.ref().name()).containsExactly("b", "a");
        assertThat(backend.pool("p").orElseThrow().capacity().availableBytes()).isEqualTo(48 * MiB);
        assertThat(backend.target().subsystem(exportB.nqn())).isPresent(); // restored by the reconnect
        assertThat(backend.lastRecovery().restoredExports()).singleElement().asString().startsWith("p/b: nvmf");
    }

    @Test
    void whatCannotBeRestoredIsReportedAndTheRestStillWorks() throws Exception {
        Path second = fx.disk("q.img", 64 * MiB);
        backend.initPool(new io.openlocal.backend.pool.PoolSpec("q", PoolType.SPDK, java.util.List.of("aio:" + second),
                false, java.util.Map.of()));
        backend.createVolume(VolumeSpec.of("p", "a", 8 * MiB));
        backend.exports().exportNvmf(a);
        fx.target.stop();
        Files.delete(second); // the device of pool q is gone while the target is down
        fx.target.start();

        RecoveryReport report = backend.recover();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("pool q").contains("No such file"));
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("pool q: lvstore not found"));
        assertThat(report.restoredExports()).singleElement().asString().startsWith("p/a: nvmf");
        assertThat(backend.volume(a)).isPresent();
        assertThat(backend.health().message()).contains("recovery left problems");
    }

    @Test
    void anExportWhoseVolumeVanishedIsReported() {
        backend.createVolume(VolumeSpec.of("p", "a", 8 * MiB));
        backend.exports().exportVhost(a);
        backend.target().deleteLvol("p/a"); // behind the backend's back
        fx.target.restart();
        RecoveryReport report = backend.recover();
        assertThat(report.problems()).singleElement().asString().contains("export of p/a").contains("not on the target");
    }

    @Test
    void aNewBackendReadsTheDurableRecordAndRecoversTheSameWay() {
        backend.createVolume(VolumeSpec.of("p", "a", 8 * MiB));
        NvmfExport export = backend.exports().exportNvmf(a);
        backend.close();
        fx.target.restart();
        SpdkBackend fresh = fx.backend();
        assertThat(fresh.volume(a)).isPresent();
        assertThat(fresh.target().subsystem(export.nqn())).isPresent();
        assertThat(fresh.exports().nvmfExports()).extracting(NvmfExport::nqn).containsExactly(export.nqn());
    }

    @Test
    void aCorruptStateRecordStopsTheBackendInsteadOfForgettingWhatItOwns() throws Exception {
        backend.close();
        Files.writeString(fx.dir.resolve("state/spdk/state.json"), "{ not json");
        assertThatThrownBy(() -> fx.backend()).isInstanceOf(StorageException.Internal.class)
                .hasMessageContaining("state.json");
    }
}
