package io.openlocal.csi.claim;

import io.openlocal.csi.nodeapi.ProvisionRequest;
import java.util.Objects;

/** A CreateVolume for a claim that failed for a reason the claim's owner can fix. */
public sealed interface ProvisioningFailure {

    ClaimRef claim();

    /**
     * The StorageClass parameters do not parse.
     *
     * @param problem what is wrong, naming the parameter
     */
    record BadParameter(ClaimRef claim, String problem) implements ProvisioningFailure {
        public BadParameter {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(problem, "problem");
        }
    }

    /**
     * The chosen node turned the volume down.
     *
     * @param node    the node the scheduler chose
     * @param request what was asked of it
     * @param message the node's own words
     */
    record Refused(ClaimRef claim, String node, ProvisionRequest request, Refusal refusal, String message)
            implements ProvisioningFailure {
        public Refused {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(refusal, "refusal");
            message = message == null ? "" : message;
        }
    }
}
