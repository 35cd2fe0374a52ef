package io.openlocal.backend.spdk.target;

import com.fasterxml.jackson.databind.JsonNode;

/** An lvol as bdev_lvol_get_lvols reports it (no size there: sizes come from bdev_get_bdevs). */
public record LvolInfo(String alias, String uuid, String name, boolean thin, boolean snapshot, boolean isClone,
                       long allocatedClusters, String lvsName, String lvsUuid) {

    static LvolInfo from(JsonNode n) {
        JsonNode lvs = n.path("lvs");
        return new LvolInfo(Json.text(n, "alias"), Json.text(n, "uuid"), Json.text(n, "name"),
                Json.bool(n, "is_thin_provisioned"), Json.bool(n, "is_snapshot"), Json.bool(n, "is_clone"),
                Json.number(n, "num_allocated_clusters"), Json.text(lvs, "name"), Json.text(lvs, "uuid"));
    }
}
