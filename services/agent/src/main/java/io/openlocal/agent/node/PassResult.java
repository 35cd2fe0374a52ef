package io.openlocal.agent.node;

import io.openlocal.agent.discovery.NodeInventory;
import io.openlocal.agent.init.InitOutcome;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import java.util.List;

/**
 * What one agent pass found and decided.
 *
 * @param status    the status the NLS should have now
 * @param notices   events to record: only those that were not already raised by the previous pass
 * @param inventory what discovery saw (after any change this pass made)
 * @param outcomes  per resourceToBeInited entry, what happened
 * @param changedNode whether this pass created anything on the node
 */
public record PassResult(NodeLocalStorageStatus status, List<Notice> notices, NodeInventory inventory,
                         List<InitOutcome> outcomes, boolean changedNode) {

    public PassResult {
        notices = List.copyOf(notices);
        outcomes = List.copyOf(outcomes);
    }
}
