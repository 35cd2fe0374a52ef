package io.openlocal.backend;

import io.openlocal.backend.pool.PoolType;
import java.util.Set;

/**
 * Makes backends of one {@link PoolType}. Listed in {@code META-INF/services/io.openlocal.backend.BackendProvider}
 * of the backend's jar and found with {@link java.util.ServiceLoader}.
 */
public interface BackendProvider {

    /** The pool types this provider serves (one provider may serve Device and MountPoint). */
    Set<PoolType> types();

    /** Builds the backend for one pool type; fails with InvalidArgument for bad settings. */
    Backend create(PoolType type, BackendContext context);
}
