package io.openlocal.backend.spdk.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** One answer from the target: a result or an error, for the request with {@code id}. */
public record RpcReply(long id, JsonNode result, RpcError error) {

    public boolean ok() {
        return error == null;
    }
}
