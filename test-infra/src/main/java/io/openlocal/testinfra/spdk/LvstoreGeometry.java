package io.openlocal.testinfra.spdk;

/**
 * How much of a device a new blobstore keeps for metadata, and how far it can grow: the layout rule of
 * SPDK's {@code spdk_bs_init} with the lvol defaults (4 KiB metadata pages, one metadata page per cluster).
 * The front of the device holds the super block page, a used-pages mask, a used-clusters mask (sized for
 * the largest of the two masks so the store can grow), a used-blob-ids mask and the metadata pages; each
 * mask is a 5-byte header plus one bit per tracked item, rounded up to whole pages. The pages are rounded
 * up to whole clusters and the rest are data clusters. This reproduces the recorded target: 64 MiB with
 * 4 MiB clusters gives 15 data clusters, 256 MiB with 1 MiB clusters gives 254, and
 * max_growable_size is (mask pages x 4096 - 5) x 8 clusters.
 *
 * @param totalClusters    clusters on the device
 * @param metadataPages    {@code md_len}: metadata pages, fixed at creation
 * @param metadataClusters clusters taken by metadata, fixed at creation
 * @param clusterMaskPages pages reserved for the used-clusters mask, fixed at creation (bounds growth)
 */
record LvstoreGeometry(long totalClusters, long metadataPages, long metadataClusters, long clusterMaskPages) {

    static final int PAGE_SIZE = 4096;
    private static final int MASK_HEADER_BYTES = 5;

    static long maskPages(long bits) {
        return ceilDiv(MASK_HEADER_BYTES + ceilDiv(bits, 8), PAGE_SIZE);
    }

    /** The layout for a new store, or null when the device cannot hold one (the target answers an error). */
    static LvstoreGeometry forNewStore(long deviceBytes, long clusterSize, long mdPagesPerClusterPercent) {
        long totalClusters = deviceBytes / clusterSize;
        long mdLen = mdPagesPerClusterPercent * totalClusters / 100;
        if (mdLen == 0) {
            return null;
        }
        long clusterMask = Math.max(maskPages(mdLen), maskPages(totalClusters));
        long pages = 1 + maskPages(mdLen) + clusterMask + maskPages(mdLen) + mdLen;
        long metadataClusters = ceilDiv(pages, clusterSize / PAGE_SIZE);
        if (metadataClusters > totalClusters) {
            return null;
        }
        return new LvstoreGeometry(totalClusters, mdLen, metadataClusters, clusterMask);
    }

    long dataClusters() {
        return totalClusters - metadataClusters;
    }

    /** The largest number of clusters the used-clusters mask can track. */
    long maxClusters() {
        return (maskPages(metadataPages) * PAGE_SIZE - MASK_HEADER_BYTES) * 8;
    }

    /** The same store on a device that grew, or null when the mask cannot track that many clusters. */
    LvstoreGeometry grownTo(long deviceBytes, long clusterSize) {
        long clusters = deviceBytes / clusterSize;
        if (maskPages(clusters) > clusterMaskPages) {
            return null;
        }
        return new LvstoreGeometry(clusters, metadataPages, metadataClusters, clusterMaskPages);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
