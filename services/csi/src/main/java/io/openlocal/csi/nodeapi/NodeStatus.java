package io.openlocal.csi.nodeapi;

import io.openlocal.backend.pool.PoolType;
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

    /** Whether every backend that gates the plugin's health can work (see {@link #gates}). */
    public boolean ready() {
        return backends.stream().allMatch(b -> !gates(b) || b.health().ready());
    }

    /**
     * Whether a backend's health decides the plugin's (CSI Probe, readiness). SPDK's does not: it depends on
     * spdk_tgt, a process of its own, and a liveness probe restarting the plugin would not bring the target back
     * but would interrupt the node's other volumes. Its state is still reported, and its calls fail with it.
     */
    public static boolean gates(BackendStatus backend) {
        return backend.type() != PoolType.SPDK;
    }
}
