package io.openlocal.scheduling.catalog;

import java.util.Objects;

/**
 * What the scheduler needs of a PVC.
 *
 * @param key              {@code namespace/name}
 * @param storageClassName its class ("" for none)
 * @param requestedBytes   {@code spec.resources.requests.storage} in bytes (0 when absent)
 * @param bound            bound to a PV (phase Bound, or {@code spec.volumeName} set): its node is decided
 * @param selectedNode     kube-scheduler's {@code volume.kubernetes.io/selected-node} annotation ("" for none)
 */
public record ClaimRecord(String key, String storageClassName, long requestedBytes, boolean bound,
                          String selectedNode) {

    public ClaimRecord {
        Objects.requireNonNull(key, "key");
        storageClassName = storageClassName == null ? "" : storageClassName;
        selectedNode = selectedNode == null ? "" : selectedNode;
    }

    /** Pending, with a node chosen by kube-scheduler: the extender holds a promise for it. */
    public boolean awaitingProvisioning() {
        return !bound && !selectedNode.isEmpty();
    }
}
