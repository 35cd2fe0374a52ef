package io.openlocal.backend.spdk.target;

import com.fasterxml.jackson.databind.JsonNode;

/** An lvstore as bdev_lvol_get_lvstores reports it. Capacity is counted in whole clusters. */
public record LvstoreInfo(String uuid, String name, String baseBdev, long totalDataClusters, long freeClusters,
                          long blockSize, long clusterSize, long maxGrowableSize) {

    public long totalBytes() {
        return totalDataClusters * clusterSize;
    }

    public long freeBytes() {
        return freeClusters * clusterSize;
    }

    static LvstoreInfo from(JsonNode n) {
        return new LvstoreInfo(Json.text(n, "uuid"), Json.text(n, "name"), Json.text(n, "base_bdev"),
                Json.number(n, "total_data_clusters"), Json.number(n, "free_clusters"), Json.number(n, "block_size"),
                Json.number(n, "cluster_size"), n.path("max_growable_size").asLong(0));
    }
}
