package io.openlocal.testinfra.csi;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.Assertions;

/** Assertions on the gRPC status of a call. */
public final class GrpcCodes {

    private GrpcCodes() {
    }

    /** Runs the call and returns the status code it failed with (OK if it succeeded). */
    public static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /** Runs the call and asserts it failed with {@code expected}; returns the status's description. */
    public static String assertFailsWith(Status.Code expected, Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            Assertions.assertThat(e.getStatus().getCode())
                    .as("status of the call (description: %s)", e.getStatus().getDescription())
                    .isEqualTo(expected);
            return e.getStatus().getDescription();
        }
        Assertions.fail("expected the call to fail with " + expected + " but it succeeded");
        return null;
    }
}
