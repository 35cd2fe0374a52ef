package io.openlocal.launcher.status;

/** {@code open-local status} could not read the cluster; the message is the one line the user sees. */
public final class StatusException extends RuntimeException {

    public StatusException(String message) {
        super(message);
    }
}
