package io.openlocal.scheduling.catalog;

import io.openlocal.scheduling.claim.PodRequest;
import java.util.List;

/**
 * A pod's claims sorted out against the catalog.
 *
 * @param request  its pending claims of ours (empty: the pod passes through untouched)
 * @param problems pod-level faults that rule out every node (an Open-Local class with bad parameters, a claim
 *                 of ours without a size); empty when none
 * @param skipped  claims left to kube-scheduler's own volume binding because the catalog does not know them or
 *                 their class (for the request's log line)
 */
public record PodResolution(PodRequest request, List<String> problems, List<String> skipped) {

    public PodResolution {
        problems = List.copyOf(problems);
        skipped = List.copyOf(skipped);
    }
}
