package io.openlocal.scheduling.ledger;

import io.openlocal.scheduling.claim.VolumeKind;
import java.util.Objects;

/**
 * Storage set aside on a node for one claim: promised by the scheduler side, or confirmed by a provisioned PV.
 *
 * @param claimKey       {@code namespace/name} of the PVC ({@code volume:<pv>} for a PV without a claim)
 * @param podKey         the pod it was promised for ("" when unknown)
 * @param nodeName       the node
 * @param kind           volume kind
 * @param poolName       VG / lvstore name, or device path / mount point path
 * @param requestedBytes what the claim asked for
 * @param allocatedBytes what it takes: the request (rounded to the pool's unit) or the whole disk
 * @param status         promised or confirmed
 * @param volumeName     the PV name once confirmed, else ""
 * @param expiresAtMillis when an unconfirmed promise lapses (epoch millis); 0 for confirmed ones
 */
public record Allocation(String claimKey, String podKey, String nodeName, VolumeKind kind, String poolName,
                         long requestedBytes, long allocatedBytes, Status status, String volumeName,
                         long expiresAtMillis) {

    /** Where an allocation is in its life. */
    public enum Status { PROMISED, CONFIRMED }

    public Allocation {
        Objects.requireNonNull(claimKey, "claimKey");
        Objects.requireNonNull(podKey, "podKey");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(poolName, "poolName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(volumeName, "volumeName");
        if (requestedBytes < 0 || allocatedBytes < 0) {
            throw new IllegalArgumentException("allocation of " + claimKey + ": sizes must not be negative");
        }
    }

    public boolean promised() {
        return status == Status.PROMISED;
    }

    /** The same allocation with a later deadline. */
    public Allocation renewedUntil(long expiresAtMillis) {
        return new Allocation(claimKey, podKey, nodeName, kind, poolName, requestedBytes, allocatedBytes, status,
                volumeName, expiresAtMillis);
    }
}
