package io.openlocal.backend.spdk.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlocal.backend.error.StorageException;

/**
 * Maps the target's error answers to the SPI's typed errors. The target mixes codes for one condition
 * (a duplicate is -17 "File exists" from bdev_lvol_create but -32602 "File exists" from
 * bdev_lvol_snapshot; "Operation not permitted" is -1 or -32603), so the message decides first and the
 * code second. The target's message is kept in the exception.
 */
public final class SpdkErrors {

    private SpdkErrors() {
    }

    public static StorageException toException(String method, ObjectNode params, RpcError error) {
        String text = "SPDK " + method + (params == null || params.isEmpty() ? "" : " " + params) + ": "
                + error.message() + " (code " + error.code() + ")";
        return switch (classify(error)) {
            case NOT_FOUND -> new StorageException.NotFound(text);
            case ALREADY_EXISTS -> new StorageException.AlreadyExists(text);
            case OUT_OF_CAPACITY -> new StorageException.OutOfCapacity(text);
            case BUSY -> new StorageException.Busy(text);
            case INVALID_ARGUMENT -> new StorageException.InvalidArgument(text);
            case UNSUPPORTED -> new StorageException.Unsupported(text);
            case UNAVAILABLE -> new StorageException.Unavailable(text);
            case INTERNAL -> new StorageException.Internal(text);
        };
    }

    /** The kind of an error answer, by message and code. */
    public static StorageException.Kind classify(RpcError error) {
        String m = error.message() == null ? "" : error.message();
        int code = error.code();
        if (code == -32601 || m.equals("Method not found") || m.equals("Operation not supported")) {
            return StorageException.Kind.UNSUPPORTED;
        }
        if (m.equals("No such device") || m.equals("No such file or directory") || code == -19 || code == -2) {
            return StorageException.Kind.NOT_FOUND;
        }
        if (m.equals("File exists") || code == -17 || m.matches("Transport type '.*' already exists")
                // Also the answer to an invalid NQN; clients check NQNs before sending (see Nqn).
                || m.startsWith("Unable to create subsystem ")) {
            return StorageException.Kind.ALREADY_EXISTS;
        }
        if (m.equals("No space left on device") || code == -28) {
            return StorageException.Kind.OUT_OF_CAPACITY;
        }
        if (m.equals("Operation not permitted") || m.equals("Device or resource busy")
                || m.equals("Operation already in progress") || code == -1 || code == -16 || code == -114) {
            return StorageException.Kind.BUSY;
        }
        if (m.equals("Invalid argument") || m.equals("Invalid parameters") || m.equals("Invalid request")
                || m.equals("spdk_json_decode_object failed") || m.endsWith("requires no parameters")
                || code == -22 || code == -32600 || code == -32602) {
            return StorageException.Kind.INVALID_ARGUMENT;
        }
        if (m.equals("Input/output error") || m.equals("Cannot allocate memory") || code == -5 || code == -12
                || code == -110 || code == -11) {
            return StorageException.Kind.UNAVAILABLE;
        }
        return StorageException.Kind.INTERNAL;
    }
}
