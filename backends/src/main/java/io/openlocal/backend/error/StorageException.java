package io.openlocal.backend.error;

/**
 * The one error type a backend throws. Each subclass is a condition a caller acts on differently; the
 * service layer maps {@link #kind()} to a gRPC or HTTP status, and nowhere else.
 *
 * <p>Unchecked so backend calls compose in lambdas; every {@code Backend} method documents which kinds it
 * throws.
 */
public abstract sealed class StorageException extends RuntimeException {

    /** What went wrong, in the terms a caller acts on. */
    public enum Kind {
        NOT_FOUND, ALREADY_EXISTS, OUT_OF_CAPACITY, INVALID_ARGUMENT, UNAVAILABLE, BUSY, UNSUPPORTED, INTERNAL
    }

    private StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract Kind kind();

    /** The pool, volume, snapshot or device named does not exist. */
    public static final class NotFound extends StorageException {
        public NotFound(String message) { super(message, null); }
        public Kind kind() { return Kind.NOT_FOUND; }
    }

    /** Something of that name exists and is not what was asked for (different size, type or source). */
    public static final class AlreadyExists extends StorageException {
        public AlreadyExists(String message) { super(message, null); }
        public Kind kind() { return Kind.ALREADY_EXISTS; }
    }

    /** The pool or device has too little room for the request. */
    public static final class OutOfCapacity extends StorageException {
        public OutOfCapacity(String message) { super(message, null); }
        public Kind kind() { return Kind.OUT_OF_CAPACITY; }
    }

    /** The request itself is wrong (bad name, size, parameter, or a device that must not be touched). */
    public static final class InvalidArgument extends StorageException {
        public InvalidArgument(String message) { super(message, null); }
        public Kind kind() { return Kind.INVALID_ARGUMENT; }
    }

    /** A tool, daemon or kernel feature needed is missing, failed, or timed out; retrying may help. */
    public static final class Unavailable extends StorageException {
        public Unavailable(String message) { super(message, null); }
        public Unavailable(String message, Throwable cause) { super(message, cause); }
        public Kind kind() { return Kind.UNAVAILABLE; }
    }

    /** The object is in use (mounted, claimed, has dependants) or another operation holds it. */
    public static final class Busy extends StorageException {
        public Busy(String message) { super(message, null); }
        public Kind kind() { return Kind.BUSY; }
    }

    /** The backend cannot do this at all (for example snapshots of an exclusive device). */
    public static final class Unsupported extends StorageException {
        public Unsupported(String message) { super(message, null); }
        public Kind kind() { return Kind.UNSUPPORTED; }
    }

    /** A broken invariant or an answer from a tool that could not be understood. */
    public static final class Internal extends StorageException {
        public Internal(String message) { super(message, null); }
        public Internal(String message, Throwable cause) { super(message, cause); }
        public Kind kind() { return Kind.INTERNAL; }
    }
}
