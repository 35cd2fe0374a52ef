package io.openlocal.csi.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openlocal.backend.error.StorageException;

/**
 * The one mapping from backend error kinds to gRPC status codes, and the shorthands the services use to fail
 * with the code the CSI specification names for a condition.
 */
public final class Errors {

    private Errors() {
    }

    /** The status code for a backend error kind where the calling RPC has no more specific rule. */
    public static Status.Code codeOf(StorageException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case OUT_OF_CAPACITY -> Status.Code.RESOURCE_EXHAUSTED;
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case BUSY -> Status.Code.FAILED_PRECONDITION;
            case UNSUPPORTED -> Status.Code.FAILED_PRECONDITION;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    public static StatusRuntimeException status(Status.Code code, String message) {
        return Status.fromCode(code).withDescription(message).asRuntimeException();
    }

    public static StatusRuntimeException invalid(String message) {
        return status(Status.Code.INVALID_ARGUMENT, message);
    }

    public static StatusRuntimeException notFound(String message) {
        return status(Status.Code.NOT_FOUND, message);
    }

    public static StatusRuntimeException failedPrecondition(String message) {
        return status(Status.Code.FAILED_PRECONDITION, message);
    }

    public static StatusRuntimeException alreadyExists(String message) {
        return status(Status.Code.ALREADY_EXISTS, message);
    }

    public static StatusRuntimeException outOfRange(String message) {
        return status(Status.Code.OUT_OF_RANGE, message);
    }

    public static StatusRuntimeException aborted(String message) {
        return status(Status.Code.ABORTED, message);
    }

    public static StatusRuntimeException unimplemented(String message) {
        return status(Status.Code.UNIMPLEMENTED, message);
    }
}
