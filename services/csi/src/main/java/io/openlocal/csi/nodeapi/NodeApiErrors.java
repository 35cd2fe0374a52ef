package io.openlocal.csi.nodeapi;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openlocal.backend.error.StorageException;

/**
 * How typed errors cross the node API: the agent sends a gRPC status plus the error's kind in the trailer
 * {@value #KIND_KEY}; the controller turns it back into the same {@link StorageException} subclass (or
 * {@link OutOfRange}). A failure without the trailer (the connection itself failed, TLS refused) is Unavailable.
 */
final class NodeApiErrors {

    static final String KIND_KEY = "openlocal-error-kind";
    private static final Metadata.Key<String> KIND = Metadata.Key.of(KIND_KEY, Metadata.ASCII_STRING_MARSHALLER);
    private static final String OUT_OF_RANGE = "OUT_OF_RANGE";

    private NodeApiErrors() {
    }

    static StatusRuntimeException toStatus(RuntimeException error) {
        Metadata trailers = new Metadata();
        Status status;
        if (error instanceof StorageException e) {
            trailers.put(KIND, e.kind().name());
            status = Status.fromCode(io.openlocal.csi.grpc.Errors.codeOf(e.kind()));
        } else if (error instanceof OutOfRange) {
            trailers.put(KIND, OUT_OF_RANGE);
            status = Status.OUT_OF_RANGE;
        } else {
            trailers.put(KIND, StorageException.Kind.INTERNAL.name());
            status = Status.INTERNAL;
        }
        return status.withDescription(error.getMessage()).asRuntimeException(trailers);
    }

    static RuntimeException fromStatus(StatusRuntimeException e, String node) {
        Metadata trailers = e.getTrailers();
        String kind = trailers == null ? null : trailers.get(KIND);
        String message = e.getStatus().getDescription();
        if (kind == null) {
            return new StorageException.Unavailable("node API of " + node + " failed: " + e.getStatus().getCode()
                    + (message == null ? "" : ": " + message), e);
        }
        if (kind.equals(OUT_OF_RANGE)) {
            return new OutOfRange(message);
        }
        return switch (StorageException.Kind.valueOf(kind)) {
            case NOT_FOUND -> new StorageException.NotFound(message);
            case ALREADY_EXISTS -> new StorageException.AlreadyExists(message);
            case OUT_OF_CAPACITY -> new StorageException.OutOfCapacity(message);
            case INVALID_ARGUMENT -> new StorageException.InvalidArgument(message);
            case UNAVAILABLE -> new StorageException.Unavailable(message);
            case BUSY -> new StorageException.Busy(message);
            case UNSUPPORTED -> new StorageException.Unsupported(message);
            case INTERNAL -> new StorageException.Internal(message);
        };
    }
}
