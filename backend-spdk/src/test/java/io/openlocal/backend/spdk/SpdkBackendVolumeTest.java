package io.openlocal.backend.spdk;

import static io.openlocal.backend.spdk.SpdkFixture.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volumes and snapshots on a 64 MiB pool: 15 data clusters of 4 MiB (60 MiB). */
class SpdkBackendVolumeTest {

    private SpdkFixture fx;
    private SpdkBackend backend;

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

    private static VolumeRef ref(String name) {
        return new VolumeRef(PoolType.SPDK, "p", name);
    }

    private Volume create(String name, long bytes, Map<String, String> parameters) {
        return backend.createVolume(new VolumeSpec("p", name, bytes, parameters, Optional.empty()));
    }

    private long freeBytes() {
        return backend.pool("p").orElseThrow().capacity().availableBytes();
    }

    @Test
    void aThickVolumeRoundsUpToWholeMiBThenWholeClustersAndTakesItsClusters() {
        Volume v = create("v1", 5 * MiB + 1, Map.of()); // 6 MiB asked of the target, 8 MiB given
        assertThat(v.sizeBytes()).isEqualTo(8 * MiB);
        assertThat(v.attributes()).containsEntry("thin", "false").containsEntry("allocatedBytes", String.valueOf(8 * MiB));
        assertThat(freeBytes()).isEqualTo(52 * MiB);
        assertThat(create("tiny", 1, Map.of()).sizeBytes()).isEqualTo(4 * MiB);
        assertThat(backend.usage(ref("v1")).allocatedBytes()).isEqualTo(8 * MiB);
    }

    @Test
    void aThinVolumeMayBeLargerThanThePoolAndTakesNothingYet() {
        Volume v = create("thin", 1024 * MiB, Map.of("thin", "true"));
        assertThat(v.sizeBytes()).isEqualTo(1024 * MiB);
        assertThat(v.attributes()).containsEntry("thin", "true").containsEntry("allocatedBytes", "0");
        assertThat(freeBytes()).isEqualTo(60 * MiB);
    }

    @Test
    void creatingTheSameVolumeAgainReturnsItAndADifferentSizeIsAlreadyExists() {
        Volume first = create("v", 8 * MiB, Map.of());
        Volume again = create("v", 7 * MiB + 5, Map.of()); // rounds to the same 8 MiB
        assertThat(again.attributes().get("uuid")).isEqualTo(first.attributes().get("uuid"));
        assertThatThrownBy(() -> create("v", 12 * MiB, Map.of())).isInstanceOf(StorageException.AlreadyExists.class)
                .hasMessageContaining("size");
        assertThatThrownBy(() -> create("v", 8 * MiB, Map.of("thin", "true")))
                .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining("thick");
    }

    @Test
    void aThickVolumeLargerThanTheFreeSpaceIsOutOfCapacityAndNothingIsCreated() {
        create("a", 40 * MiB, Map.of());
        assertThatThrownBy(() -> create("b", 24 * MiB, Map.of())).isInstanceOf(StorageException.OutOfCapacity.class)
                .hasMessageContaining("5 are free");
        assertThatThrownBy(() -> create("c", 1024 * MiB * 1024, Map.of())).isInstanceOf(StorageException.OutOfCapacity.class);
        assertThat(backend.volumes("p")).extracting(v -> v.ref().name()).containsExactly("a");
    }

    @Test
    void badVolumeRequestsAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> create("zero", 0, Map.of())).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("size");
        assertThatThrownBy(() -> create("neg", -5, Map.of())).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> create("a/b", MiB, Map.of())).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("volume name");
        assertThatThrownBy(() -> create("a b", MiB, Map.of())).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> create("-x", MiB, Map.of())).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> create("x".repeat(64), MiB, Map.of())).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> create("v", MiB, Map.of("stripes", "2"))).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("stripes");
        assertThatThrownBy(() -> create("v", MiB, Map.of("thin", "yes"))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of("nopool", "v", MiB)))
                .isInstanceOf(StorageException.NotFound.class).hasMessageContaining("nopool");
        assertThat(backend.volumes("p")).isEmpty();
        assertThat(freeBytes()).isEqualTo(60 * MiB);
    }

    @Test
    void volumesAreListedWithTheirRealSizes() {
        create("a", 5 * MiB, Map.of());
        create("b", 100 * MiB, Map.of("thin", "true"));
        assertThat(backend.volumes("p")).extracting(v -> v.ref().name() + "=" + v.sizeBytes())
                .containsExactly("a=" + 8 * MiB, "b=" + 100 * MiB);
        assertThat(backend.volume(ref("a"))).map(Volume::sizeBytes).contains(8 * MiB);
        assertThat(backend.volume(ref("missing"))).isEmpty();
        assertThatThrownBy(() -> backend.volumes("nopool")).isInstanceOf(StorageException.NotFound.class);
    }

    @Test
    void expandGrowsToWholeClustersRefusesShrinkingAndRespectsCapacity() {
        create("v", 8 * MiB, Map.of());
        assertThat(backend.expandVolume(ref("v"), 10 * MiB).sizeBytes()).isEqualTo(12 * MiB);
        assertThat(backend.expandVolume(ref("v"), 12 * MiB).sizeBytes()).isEqualTo(12 * MiB);
        assertThatThrownBy(() -> backend.expandVolume(ref("v"), 4 * MiB)).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("shrinking");
        assertThatThrownBy(() -> backend.expandVolume(ref("v"), 100 * MiB)).isInstanceOf(StorageException.OutOfCapacity.class);
        assertThatThrownBy(() -> backend.expandVolume(ref("nope"), 100 * MiB)).isInstanceOf(StorageException.NotFound.class);
        assertThat(freeBytes()).isEqualTo(48 * MiB);
    }

    @Test
    void deleteFreesTheClustersAndIsIdempotent() {
        create("v", 8 * MiB, Map.of());
        backend.deleteVolume(ref("v"));
        backend.deleteVolume(ref("v"));
        assertThat(freeBytes()).isEqualTo(60 * MiB);
        backend.deleteVolume(new VolumeRef(PoolType.SPDK, "nopool", "v"));
    }

    @Test
    void aSnapshotTakesTheOriginsClustersAndTheOriginBecomesAThinClone() {
        create("v", 16 * MiB, Map.of());
        Snapshot snap = backend.createSnapshot(new SnapshotSpec(ref("v"), "s1", 0, Map.of()));
        assertThat(snap.source()).isEqualTo(ref("v"));
        assertThat(snap.sizeBytes()).isEqualTo(16 * MiB);
        assertThat(snap.readyToUse()).isTrue();
        assertThat(snap.createdEpochMillis()).isPositive();
        Volume origin = backend.volume(ref("v")).orElseThrow();
        assertThat(origin.attributes()).containsEntry("clone", "true").containsEntry("thin", "true")
                .containsEntry("baseSnapshot", "s1");
        assertThat(freeBytes()).isEqualTo(44 * MiB);
        Snapshot again = backend.createSnapshot(new SnapshotSpec(ref("v"), "s1", 0, Map.of()));
        assertThat(again.ref()).isEqualTo(snap.ref());
        assertThat(backend.snapshots("p")).extracting(s -> s.ref().name()).containsExactly("s1");
        assertThat(backend.volumes("p")).extracting(v -> v.ref().name()).containsExactly("v");
        assertThatThrownBy(() -> backend.createSnapshot(new SnapshotSpec(ref("v"), "v", 0, Map.of())))
                .isInstanceOf(StorageException.AlreadyExists.class);
        assertThatThrownBy(() -> backend.deleteVolume(ref("s1"))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.deleteSnapshot(ref("v"))).isInstanceOf(StorageException.InvalidArgument.class);
    }

    @Test
    void aCloneOfASnapshotIsThinAndASnapshotWithTwoClonesCannotBeDeleted() {
        create("v", 8 * MiB, Map.of());
        backend.createSnapshot(new SnapshotSpec(ref("v"), "s", 0, Map.of()));
        Volume clone = backend.createVolume(new VolumeSpec("p", "c", 8 * MiB, Map.of("thin", "true"),
                Optional.of(ref("s"))));
        assertThat(clone.attributes()).containsEntry("clone", "true").containsEntry("baseSnapshot", "s");
        Volume again = backend.createVolume(new VolumeSpec("p", "c", 8 * MiB, Map.of("thin", "true"),
                Optional.of(ref("s"))));
        assertThat(again.attributes().get("uuid")).isEqualTo(clone.attributes().get("uuid"));
        assertThatThrownBy(() -> backend.deleteSnapshot(ref("s"))).isInstanceOf(StorageException.Busy.class)
                .hasMessageContaining("clones");
        backend.deleteVolume(ref("c"));
        backend.deleteSnapshot(ref("s")); // one clone left: its data goes to the clone
        backend.deleteSnapshot(ref("s"));
        assertThat(backend.volume(ref("v")).orElseThrow().attributes()).containsEntry("clone", "false")
                .containsEntry("allocatedBytes", String.valueOf(8 * MiB));
        assertThat(freeBytes()).isEqualTo(52 * MiB);
    }

    @Test
    void aThickCloneIsInflatedAndABiggerCloneIsResized() {
        create("v", 8 * MiB, Map.of());
        backend.createSnapshot(new SnapshotSpec(ref("v"), "s", 0, Map.of()));
        Volume thick = backend.createVolume(new VolumeSpec("p", "c", 12 * MiB, Map.of(), Optional.of(ref("s"))));
        assertThat(thick.sizeBytes()).isEqualTo(12 * MiB);
        assertThat(thick.attributes()).containsEntry("thin", "false").containsEntry("clone", "false")
                .containsEntry("allocatedBytes", String.valueOf(12 * MiB));
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec("p", "small", 4 * MiB, Map.of(),
                Optional.of(ref("s"))))).isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("smaller");
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec("p", "x", 8 * MiB, Map.of(),
                Optional.of(ref("nosnap"))))).isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec("p", "x", 8 * MiB, Map.of(),
                Optional.of(new VolumeRef(PoolType.SPDK, "other", "s"))))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(backend.volume(ref("small"))).isEmpty();
    }

    @Test
    void aCopyOfAVolumeIsIndependentAndLeavesNoTemporarySnapshot() {
        create("src", 8 * MiB, Map.of());
        Volume copy = backend.createVolume(new VolumeSpec("p", "copy", 8 * MiB, Map.of(), Optional.of(ref("src"))));
        assertThat(copy.attributes()).containsEntry("clone", "false").containsEntry("thin", "false");
        assertThat(backend.snapshots("p")).isEmpty();
        assertThat(backend.target().lvols("p")).extracting(l -> l.name()).containsExactlyInAnyOrder("src", "copy");
        assertThat(backend.volume(ref("src")).orElseThrow().attributes()).containsEntry("thin", "false")
                .containsEntry("clone", "false");
        assertThat(freeBytes()).isEqualTo(44 * MiB);
        assertThatThrownBy(() -> backend.createVolume(new VolumeSpec("p", "big", 48 * MiB, Map.of(),
                Optional.of(ref("src"))))).isInstanceOf(StorageException.OutOfCapacity.class);
        assertThat(backend.target().lvols("p")).hasSize(2);
    }

    @Test
    void inflateMakesAThinVolumeThickAndReadOnlyIsFinal() {
        create("t", 8 * MiB, Map.of("thin", "true"));
        assertThat(backend.inflate(ref("t")).attributes()).containsEntry("thin", "false")
                .containsEntry("allocatedBytes", String.valueOf(8 * MiB));
        Volume ro = backend.setReadOnly(ref("t"));
        assertThat(ro.attributes()).containsEntry("readOnly", "true");
        assertThatThrownBy(() -> backend.expandVolume(ref("t"), 16 * MiB)).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> backend.createSnapshot(new SnapshotSpec(ref("t"), "s", 0, Map.of())))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> backend.createSnapshot(new SnapshotSpec(ref("t"), "s", 0, Map.of("k", "v"))))
                .isInstanceOf(StorageException.InvalidArgument.class);
    }

    @Test
    void volumesOfAForeignPoolAreReportedButNeverChanged() {
        var client = backend.target().client();
        client.call("bdev_malloc_create", client.params().put("name", "F").put("num_blocks", 131072).put("block_size", 512));
        backend.target().createLvstore("F", "theirs", 4 * MiB);
        backend.target().createLvol("theirs", "data", 4, false, null);
        VolumeRef theirs = new VolumeRef(PoolType.SPDK, "theirs", "data");
        assertThat(backend.volumes("theirs")).singleElement().satisfies(v -> assertThat(v.owned()).isFalse());
        assertThatThrownBy(() -> backend.deleteVolume(theirs)).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.expandVolume(theirs, 8 * MiB)).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.createVolume(VolumeSpec.of("theirs", "mine", MiB)))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(backend.volumes("theirs")).hasSize(1);
    }
}
