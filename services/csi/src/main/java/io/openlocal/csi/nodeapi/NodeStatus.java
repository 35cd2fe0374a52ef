package io.openlocal.csi.nodeapi;

import java.util.List;

/**
 * A node's backends as the agent sees them.
 *
 * @param nodeName the node
 * @param backends one entry per configured backend
 */
public record NodeStatus(String nodeName, List<BackendStatus> backends) {

    public NodeStatus {
        backends = List.copyOf(backends);
    }

    /** Whether every backend can work. */
    public boolean ready() {
        return backends.stream().allMatch(b -> b.health().ready());
    }
}
