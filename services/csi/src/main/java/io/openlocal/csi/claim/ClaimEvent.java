package io.openlocal.csi.claim;

import java.util.Objects;

/** A Warning Event to record on a claim. */
public record ClaimEvent(ClaimEventReason reason, String message) {

    public ClaimEvent {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
