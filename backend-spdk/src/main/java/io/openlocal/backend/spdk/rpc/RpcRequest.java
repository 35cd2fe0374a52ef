package io.openlocal.backend.spdk.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A method call to send. {@code params} null means the request carries no params member at all, which
 * methods such as bdev_wait_for_examine require.
 */
public record RpcRequest(String method, ObjectNode params) {

    public RpcRequest {
        Objects.requireNonNull(method, "method");
    }

    public static RpcRequest of(String method) {
        return new RpcRequest(method, null);
    }
}
