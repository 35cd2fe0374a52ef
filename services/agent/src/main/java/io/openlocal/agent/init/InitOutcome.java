package io.openlocal.agent.init;

import io.openlocal.backend.pool.PoolType;
import java.util.Objects;

/**
 * What became of one entry of {@code spec.resourceToBeInited} in one pass.
 *
 * @param field   the entry, for example {@code spec.resourceToBeInited.vgs[0]}
 * @param type    the backend that owns it
 * @param name    the VG name, mount path or lvstore name
 * @param result  what happened
 * @param message a sentence for the condition and the event; names the devices involved
 */
public record InitOutcome(String field, PoolType type, String name, Result result, String message) {

    public InitOutcome {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(message, "message");
    }

    public enum Result {
        /** It already exists on the node; nothing was done (also what Open-Local does for an existing VG). */
        PRESENT,
        /** This pass created it. */
        CREATED,
        /** The entry itself is wrong (bad name, duplicate, bad device path); nothing was tried. */
        INVALID,
        /** The backend refused: a device holds data this system did not put there, is in use, or is missing. */
        REFUSED,
        /** The backend failed (tool error, daemon down); retried with back-off. */
        FAILED;

        public boolean satisfied() {
            return this == PRESENT || this == CREATED;
        }
    }
}
