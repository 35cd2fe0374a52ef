package io.openlocal.csi.claim;

import io.openlocal.backend.error.StorageException;
import io.openlocal.csi.nodeapi.OutOfRange;
import java.util.Optional;

/**
 * The ways a node turns down a new volume that a user can do something about: edit the claim or the StorageClass,
 * free space, add a disk. Transient failures (node unreachable, a volume busy, an internal error) are none of
 * these: external-provisioner retries them and they deserve no event on the claim.
 */
public enum Refusal {
    /** RESOURCE_EXHAUSTED: no pool or device with room. */
    NO_CAPACITY,
    /** OUT_OF_RANGE: what would be made does not fit the claim's size range. */
    OUT_OF_RANGE,
    /** INVALID_ARGUMENT from the node: for instance the StorageClass's vgName is not a pool there. */
    INVALID_ARGUMENT;

    /** The refusal a node's error stands for, or empty when the error is not one a user can act on. */
    public static Optional<Refusal> of(RuntimeException error) {
        if (error instanceof OutOfRange) {
            return Optional.of(OUT_OF_RANGE);
        }
        if (error instanceof StorageException e) {
            return switch (e.kind()) {
                case OUT_OF_CAPACITY -> Optional.of(NO_CAPACITY);
                case INVALID_ARGUMENT -> Optional.of(INVALID_ARGUMENT);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }
}
