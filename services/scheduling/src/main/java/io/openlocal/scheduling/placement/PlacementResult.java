package io.openlocal.scheduling.placement;

import java.util.List;

/** Whether a pod's claims fit on one node, and if so where and how well. */
public sealed interface PlacementResult {

    boolean fits();

    /**
     * The claims fit.
     *
     * @param assignments one per claim of the pod (claims already set aside on this node included)
     * @param score       0..10, unrounded; higher is better for the configured strategy (NaN when the caller
     *                    asked for no score)
     */
    record Fits(List<Assignment> assignments, double score) implements PlacementResult {
        public Fits {
            assignments = List.copyOf(assignments);
        }

        @Override
        public boolean fits() {
            return true;
        }
    }

    /**
     * The claims do not fit.
     *
     * @param reason     one line for the scheduler's event, naming the claim and the pool or disk
     * @param resolvable false when no change of other pods could make room (no NLS, pinned VG absent, too few
     *                   disks of the media in all): kube-scheduler then does not try preemption on the node
     */
    record DoesNotFit(String reason, boolean resolvable) implements PlacementResult {
        @Override
        public boolean fits() {
            return false;
        }
    }
}
