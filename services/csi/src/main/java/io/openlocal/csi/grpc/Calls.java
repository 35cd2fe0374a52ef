package io.openlocal.csi.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.openlocal.backend.error.StorageException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one unary RPC body and answers the observer: the value, or the error as a gRPC status. Backend errors are
 * mapped here (with the RPC's own overrides first), so service code throws typed errors where it finds the
 * condition and never builds a status by hand for them.
 */
public final class Calls {

    private static final Logger LOG = Logger.getLogger(Calls.class.getName());

    private Calls() {
    }

    /** Runs {@code body} with the default mapping of backend errors. */
    public static <T> void unary(String method, StreamObserver<T> observer, Supplier<T> body) {
        unary(method, observer, body, kind -> null);
    }

    /**
     * Runs {@code body}; a backend error whose kind {@code override} maps to a code (non-null) gets that code,
     * others the default of {@link Errors#codeOf}.
     */
    public static <T> void unary(String method, StreamObserver<T> observer, Supplier<T> body,
                                 Function<StorageException.Kind, Status.Code> override) {
        T value;
        try {
            value = body.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (io.openlocal.csi.nodeapi.OutOfRange e) {
            observer.onError(Errors.outOfRange(e.getMessage()));
            return;
        } catch (StorageException e) {
            Status.Code code = override.apply(e.kind());
            if (code == null) {
                code = Errors.codeOf(e.kind());
            }
            if (code == Status.Code.INTERNAL) {
                LOG.log(Level.WARNING, method + " failed", e);
            }
            observer.onError(Errors.status(code, e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, method + " failed unexpectedly", e);
            observer.onError(Errors.status(Status.Code.INTERNAL, method + ": " + e));
            return;
        }
        observer.onNext(value);
        observer.onCompleted();
    }
}
