package io.openlocal.backend.spdk;

import static io.openlocal.backend.spdk.SpdkFixture.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.ProgressReport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpdkBackendPoolTest {

    private SpdkFixture fx;
    private SpdkBackend backend;

    @BeforeEach
    void setUp() {
        fx = new SpdkFixture();
        backend = fx.backend();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private PoolSpec spec(String name, String device, Map<String, String> options, boolean force) {
        return new PoolSpec(name, PoolType.SPDK, List.of(device), force, options);
    }

    @Test
    void initPoolOnAFileCreatesAnLvstoreWhoseCapacityIsWholeDataClusters() {
        Path image = fx.disk("a.img", 64 * MiB);
        PoolInfo pool = backend.initPool(spec("pool-a", "aio:" + image, Map.of(), false));
        // 64 MiB in 4 MiB clusters: one cluster of metadata, 15 for data.
        assertThat(pool.capacity().totalBytes()).isEqualTo(15 * 4 * MiB);
        assertThat(pool.capacity().availableBytes()).isEqualTo(15 * 4 * MiB);
        assertThat(pool.capacity().allocatableBytes()).isEqualTo(15 * 4 * MiB);
        assertThat(pool.devices()).containsExactly("aio:" + image);
        assertThat(pool.attributes()).containsEntry("clusterSizeBytes", String.valueOf(4 * MiB))
                .containsEntry("owned", "true").containsEntry("baseBdev", "ol-pool-a");
        assertThat(backend.pools()).extracting(PoolInfo::name).containsExactly("pool-a");
        assertThat(backend.target().bdev("ol-pool-a").orElseThrow().aioFilename()).contains(image.toString());
    }

    @Test
    void initPoolReportsTheAttachTheExamineAndTheLvstoreCreationAsSteps() {
        List<ProgressReport> reports = new CopyOnWriteArrayList<>();
        SpdkBackend watched = fx.backend(fx.settings(), reports::add);
        Path image = fx.disk("p.img", 64 * MiB);
        watched.initPool(spec("pool-p", "aio:" + image, Map.of(), false));
        String op = "initialising lvstore pool-p: ";
        assertThat(reports).extracting(ProgressReport::line).containsExactly(
                op + "checking aio:" + image,
                op + "attaching aio:" + image + " as bdev ol-pool-p (1/3)",
                op + "waiting for SPDK to examine bdev ol-pool-p (2/3)",
                op + "creating lvstore pool-p on bdev ol-pool-p (3/3)",
                op + "creating lvstore pool-p on bdev ol-pool-p (3/3)");
        assertThat(reports).extracting(ProgressReport::finished).containsExactly(false, false, false, false, true);
    }

    @Test
    void initPoolTwiceFromTheSameDeviceReturnsTheSamePool() {
        Path image = fx.disk("a.img", 64 * MiB);
        PoolInfo first = backend.initPool(spec("pool-a", "aio:" + image, Map.of(), false));
        PoolInfo second = backend.initPool(spec("pool-a", "aio:" + image, Map.of(), false));
        assertThat(second.attributes().get("uuid")).isEqualTo(first.attributes().get("uuid"));
        assertThat(backend.target().bdevs()).hasSize(1);
    }

    @Test
    void theClusterSizeOptionIsUsedAndRoundingFollowsIt() {
        Path image = fx.disk("a.img", 256 * MiB);
        PoolInfo pool = backend.initPool(spec("pool-a", "aio:" + image, Map.of("clusterSizeBytes", "1048576"), false));
        assertThat(pool.capacity().totalBytes()).isEqualTo(254 * MiB); // 256 MiB, 2 clusters of metadata
        assertThat(pool.attributes()).containsEntry("clusterSizeBytes", "1048576");
    }

    @Test
    void aPoolNameUsedOnAnotherDeviceIsAlreadyExists() {
        backend.initPool(spec("pool-a", "aio:" + fx.disk("a.img", 64 * MiB), Map.of(), false));
        Path other = fx.disk("b.img", 64 * MiB);
        assertThatThrownBy(() -> backend.initPool(spec("pool-a", "aio:" + other, Map.of(), false)))
                .isInstanceOf(StorageException.AlreadyExists.class);
    }

    @Test
    void badPoolSpecsAreRefusedBeforeAnythingIsAttached() {
        Path image = fx.disk("a.img", 64 * MiB);
        assertThatThrownBy(() -> backend.initPool(spec("bad/name", "aio:" + image, Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("pool name");
        assertThatThrownBy(() -> backend.initPool(spec("has space", "aio:" + image, Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.initPool(spec("p", image.toString(), Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("aio:<absolute path>");
        assertThatThrownBy(() -> backend.initPool(spec("p", "aio:relative/x", Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.initPool(spec("p", "aio:/tmp/../etc/x", Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.initPool(spec("p", "nvme:01:00.0", Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("PCI address");
        assertThatThrownBy(() -> backend.initPool(spec("p", "aio:" + image, Map.of("stripes", "2"), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("stripes");
        assertThatThrownBy(() -> backend.initPool(spec("p", "aio:" + image, Map.of("clusterSizeBytes", "3000"), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> backend.initPool(new PoolSpec("p", PoolType.SPDK, List.of(), false, Map.of())))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("exactly one");
        assertThat(backend.target().bdevs()).isEmpty();
    }

    @Test
    void aMissingDeviceIsNotFoundAndNothingStaysAttached() {
        assertThatThrownBy(() -> backend.initPool(spec("p", "aio:" + fx.dir.resolve("absent.img"), Map.of(), false)))
                .isInstanceOf(StorageException.NotFound.class).hasMessageContaining("No such file or directory");
        assertThat(backend.target().bdevs()).isEmpty();
        assertThat(backend.pools()).isEmpty();
    }

    @Test
    void aDeviceTooSmallForAnLvstoreIsRefusedAndDetachedAgain() {
        Path tiny = fx.disk("tiny.img", 2 * MiB); // less than one 4 MiB cluster
        assertThatThrownBy(() -> backend.initPool(spec("p", "aio:" + tiny, Map.of(), false)))
                .isInstanceOf(StorageException.class);
        assertThat(backend.target().bdevs()).isEmpty();
        assertThat(backend.pools()).isEmpty();
    }

    @Test
    void aDeviceWithAFilesystemIsRefusedUnlessForced() {
        Path image = fx.disk("fs.img", 64 * MiB);
        var mkfs = ProcessCommandRunner.standard().run(Command.of("mkfs.ext4", "-q", "-F", image.toString()));
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfs.succeeded(), "mkfs.ext4 is needed: " + mkfs.describe());
        assertThatThrownBy(() -> backend.initPool(spec("p", "aio:" + image, Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("ext4").hasMessageContaining("force");
        assertThat(backend.target().bdevs()).isEmpty();
        assertThat(backend.initPool(spec("p", "aio:" + image, Map.of(), true)).name()).isEqualTo("p");
    }

    @Test
    void anLvstoreOfAnotherNameOnTheDeviceIsRefusedUnlessForced() {
        Path image = fx.disk("a.img", 64 * MiB);
        backend.initPool(spec("old", "aio:" + image, Map.of(), false));
        backend.target().aioDelete("ol-old"); // detach without deleting: the lvstore stays on the device
        assertThatThrownBy(() -> backend.initPool(spec("new", "aio:" + image, Map.of(), false)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("'old'");
        assertThat(backend.target().bdevs()).isEmpty();
        PoolInfo forced = backend.initPool(spec("new", "aio:" + image, Map.of(), true));
        assertThat(forced.name()).isEqualTo("new");
        assertThat(backend.target().lvstores()).extracting(l -> l.name()).containsExactly("new");
    }

    @Test
    void foreignLvstoresAreReportedButNotOwned() {
        backend.target().client().call("bdev_malloc_create", backend.target().client().params()
                .put("name", "Foreign0").put("num_blocks", 131072).put("block_size", 512));
        backend.target().createLvstore("Foreign0", "theirs", 4 * MiB);
        PoolInfo theirs = backend.pool("theirs").orElseThrow();
        assertThat(theirs.attributes()).containsEntry("owned", "false");
        assertThat(theirs.capacity().allocatableBytes()).isZero();
        assertThat(theirs.devices()).containsExactly("bdev:Foreign0");
        assertThatThrownBy(() -> backend.deletePool("theirs")).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(backend.pool("theirs")).isPresent();
    }

    @Test
    void growPoolAfterTheFileGrowsAddsClusters() throws Exception {
        Path image = fx.disk("g.img", 256 * MiB);
        PoolInfo before = backend.initPool(spec("g", "aio:" + image, Map.of(), false));
        assertThat(before.attributes()).containsEntry("totalClusters", "63");
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
            raf.setLength(512 * MiB);
        }
        PoolInfo after = backend.growPool("g");
        assertThat(after.attributes()).containsEntry("totalClusters", "127");
        assertThat(after.capacity().totalBytes()).isEqualTo(127 * 4 * MiB);
    }

    @Test
    void deletePoolRemovesLvstoreAndBaseBdevAndIsIdempotent() {
        fx.pool(backend, "d", 64);
        backend.deletePool("d");
        backend.deletePool("d");
        assertThat(backend.pools()).isEmpty();
        assertThat(backend.target().bdevs()).isEmpty();
        assertThatThrownBy(() -> backend.volumes("d")).isInstanceOf(StorageException.NotFound.class);
    }

    @Test
    void aPoolOnALocalNvmeControllerIsAttachedByPciAddress() {
        Path nvme = fx.disk("nvme.img", 128 * MiB);
        fx.target.addNvmeController("0000:01:00.0", nvme);
        PoolInfo pool = backend.initPool(spec("fast", "nvme:0000:01:00.0", Map.of(), false));
        assertThat(pool.attributes()).containsEntry("baseBdev", "ol-fast-nvmen1");
        assertThat(pool.capacity().totalBytes()).isEqualTo(31 * 4 * MiB);
        assertThatThrownBy(() -> backend.initPool(spec("gone", "nvme:0000:02:00.0", Map.of(), false)))
                .isInstanceOf(StorageException.NotFound.class);
        backend.deletePool("fast");
        assertThat(backend.target().bdevs()).isEmpty();
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndRejectsUnknownSettings() {
        BackendRegistry registry = BackendRegistry.load();
        assertThat(registry.types()).contains(PoolType.SPDK);
        Map<String, String> settings = new java.util.HashMap<>(fx.settings());
        settings.put("rpcSokcet", "/var/tmp/x.sock");
        assertThatThrownBy(() -> registry.create(PoolType.SPDK, new BackendContext("n", ProcessCommandRunner.standard(),
                fx.dir.resolve("state2"), settings)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("rpcSokcet");
        assertThat(Files.exists(fx.dir.resolve("state2"))).isFalse();
    }

    @Test
    void healthSaysWhetherTheTargetAnswers() {
        assertThat(backend.health().ready()).isTrue();
        assertThat(backend.health().message()).contains("SPDK v26.05");
        fx.target.stop();
        assertThat(backend.health().ready()).isFalse();
        assertThat(backend.health().message()).contains("cannot connect");
    }
}
