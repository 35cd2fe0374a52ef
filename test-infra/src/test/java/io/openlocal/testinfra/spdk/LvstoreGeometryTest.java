package io.openlocal.testinfra.spdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metadata rule against the recorded target's numbers and the blobstore's layout arithmetic. */
class LvstoreGeometryTest {

    private static final long MiB = 1024L * 1024;

    @Test
    void reproducesTheRecordedTarget() {
        LvstoreGeometry malloc = LvstoreGeometry.forNewStore(64 * MiB, 4 * MiB, 100);
        assertThat(malloc.dataClusters()).isEqualTo(15);
        assertThat(malloc.maxClusters() * 4 * MiB).isEqualTo(137271181312L);
        LvstoreGeometry aio = LvstoreGeometry.forNewStore(256 * MiB, MiB, 100);
        assertThat(aio.dataClusters()).isEqualTo(254);
        assertThat(aio.maxClusters() * MiB).isEqualTo(34317795328L);
        LvstoreGeometry grown = LvstoreGeometry.forNewStore(256 * MiB, 4 * MiB, 100).grownTo(512 * MiB, 4 * MiB);
        assertThat(grown.dataClusters()).isEqualTo(127);
    }

    @Test
    void largeDevicesNeedMoreMetadataPagesAndMaskPages() {
        // 100 GiB in 1 MiB clusters: 102400 metadata pages (400 MiB) plus masks of 4 pages each.
        LvstoreGeometry big = LvstoreGeometry.forNewStore(100L * 1024 * MiB, MiB, 100);
        long pages = 1 + 4 + 4 + 4 + 102400;
        assertThat(big.metadataClusters()).isEqualTo((pages + 255) / 256);
        assertThat(big.dataClusters()).isEqualTo(102400 - big.metadataClusters());
        assertThat(big.clusterMaskPages()).isEqualTo(4);
    }

    @Test
    void aDeviceSmallerThanItsMetadataOrAClusterHoldsNoStore() {
        assertThat(LvstoreGeometry.forNewStore(2 * MiB, 4 * MiB, 100)).isNull();
        assertThat(LvstoreGeometry.forNewStore(4 * MiB, 4 * MiB, 100).dataClusters()).isZero();
        assertThat(LvstoreGeometry.forNewStore(16 * 4096, 4096, 100)).isNull(); // 20 pages of metadata > 16 clusters
    }

    @Test
    void growingPastWhatTheClusterMaskCanTrackIsRefused() {
        LvstoreGeometry g = LvstoreGeometry.forNewStore(64 * MiB, 4 * MiB, 100);
        assertThat(g.grownTo(g.maxClusters() * 4 * MiB, 4 * MiB)).isNotNull();
        assertThat(g.grownTo((g.maxClusters() + 8) * 4 * MiB + 4 * MiB * 400, 4 * MiB)).isNull();
    }
}
