package io.openlocal.scheduling.placement;

import io.openlocal.scheduling.claim.ClaimRequest;

/**
 * Where one claim would go on a node.
 *
 * @param claim          the claim
 * @param poolName       VG / lvstore name, or device / mount point path
 * @param allocatedBytes what it takes there: the request (rounded to the pool's unit) or the whole disk
 */
public record Assignment(ClaimRequest claim, String poolName, long allocatedBytes) {
}
