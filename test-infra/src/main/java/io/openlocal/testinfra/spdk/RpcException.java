package io.openlocal.testinfra.spdk;

/**
 * A JSON-RPC error as the target sends it: {@code {"code":..,"message":..}}. Thrown by method handlers and
 * turned into the error member of the response by the dispatcher.
 */
final class RpcException extends RuntimeException {

    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;

    private final int code;

    RpcException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The errno as the code and strerror as the message, the way many bdev RPCs answer synchronously. */
    static RpcException errno(Errno errno) {
        return new RpcException(errno.code(), errno.message());
    }

    /** -32602 with strerror, the way callbacks of asynchronous lvol operations answer. */
    static RpcException invalidParams(Errno errno) {
        return new RpcException(INVALID_PARAMS, errno.message());
    }

    /** -32603 with strerror. */
    static RpcException internal(Errno errno) {
        return new RpcException(INTERNAL_ERROR, errno.message());
    }

    static RpcException invalidParameters() {
        return new RpcException(INVALID_PARAMS, "Invalid parameters");
    }

    static RpcException decodeFailed() {
        return new RpcException(INTERNAL_ERROR, "spdk_json_decode_object failed");
    }
}
