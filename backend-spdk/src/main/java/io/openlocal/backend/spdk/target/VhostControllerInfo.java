package io.openlocal.backend.spdk.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A vhost controller as vhost_get_controllers reports it; the bdev is absent after it was removed. */
public record VhostControllerInfo(String name, String socket, Optional<String> bdev) {

    static VhostControllerInfo from(JsonNode n) {
        JsonNode block = n.path("backend_specific").path("block");
        return new VhostControllerInfo(Json.text(n, "ctrlr"), Json.text(n, "socket"),
                Optional.ofNullable(block.path("bdev").textValue()));
    }
}
