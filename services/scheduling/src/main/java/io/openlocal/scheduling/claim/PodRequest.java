package io.openlocal.scheduling.claim;

import java.util.List;
import java.util.Objects;

/**
 * What a pod needs from Open-Local: its pending claims of ours (bound claims and other provisioners' claims are
 * left out, so an empty list means the pod passes through untouched).
 *
 * @param podKey {@code namespace/name} of the pod (empty when unknown, e.g. a promise rebuilt from a PVC)
 */
public record PodRequest(String podKey, List<ClaimRequest> claims) {

    public PodRequest {
        Objects.requireNonNull(podKey, "podKey");
        claims = List.copyOf(claims);
    }

    public boolean isEmpty() {
        return claims.isEmpty();
    }
}
