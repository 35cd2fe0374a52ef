package io.openlocal.csi.nodeapi;

import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.pool.PoolType;
import java.util.Set;

/** One backend's health and what it can do on this node. */
public record BackendStatus(PoolType type, Health health, Set<Capability> capabilities) {

    public BackendStatus {
        capabilities = Set.copyOf(capabilities);
    }
}
