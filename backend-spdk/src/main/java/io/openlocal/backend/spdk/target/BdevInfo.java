package io.openlocal.backend.spdk.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bdev as bdev_get_bdevs reports it, with the lvol facts of driver_specific.lvol when it is an lvol.
 *
 * @param lvol present for lvol bdevs
 * @param aioFilename the file of an AIO bdev
 */
public record BdevInfo(String name, List<String> aliases, String productName, long blockSize, long numBlocks,
                       String uuid, boolean claimed, boolean writable, Optional<LvolFacts> lvol,
                       Optional<String> aioFilename) {

    /** driver_specific.lvol of an lvol bdev. */
    public record LvolFacts(String lvstoreUuid, String baseBdev, boolean thin, long allocatedClusters,
                            boolean snapshot, boolean isClone, Optional<String> baseSnapshot, List<String> clones) {
    }

    public long sizeBytes() {
        return blockSize * numBlocks;
    }

    static BdevInfo from(JsonNode n) {
        List<String> aliases = new ArrayList<>();
        n.path("aliases").forEach(a -> aliases.add(a.asText()));
        JsonNode lvolNode = n.path("driver_specific").path("lvol");
        Optional<LvolFacts> lvol = Optional.empty();
        if (lvolNode.isObject()) {
            List<String> clones = new ArrayList<>();
            lvolNode.path("clones").forEach(c -> clones.add(c.asText()));
            lvol = Optional.of(new LvolFacts(Json.text(lvolNode, "lvol_store_uuid"), Json.text(lvolNode, "base_bdev"),
                    Json.bool(lvolNode, "thin_provision"), Json.number(lvolNode, "num_allocated_clusters"),
                    Json.bool(lvolNode, "snapshot"), Json.bool(lvolNode, "clone"),
                    Optional.ofNullable(lvolNode.path("base_snapshot").textValue()), clones));
        }
        JsonNode aio = n.path("driver_specific").path("aio");
        return new BdevInfo(Json.text(n, "name"), aliases, n.path("product_name").asText(""),
                Json.number(n, "block_size"), Json.number(n, "num_blocks"), Json.text(n, "uuid"),
                n.path("claimed").asBoolean(false), n.path("supported_io_types").path("write").asBoolean(true), lvol,
                aio.isObject() ? Optional.of(Json.text(aio, "filename")) : Optional.empty());
    }
}
