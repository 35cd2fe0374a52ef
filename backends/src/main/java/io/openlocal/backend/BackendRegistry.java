package io.openlocal.backend;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds backend providers on the class path and builds one backend per pool type the node's configuration
 * uses. A pool type with no provider is an error the operator sees, not a silent gap.
 */
public final class BackendRegistry {

    private final Map<PoolType, BackendProvider> providers;

    private BackendRegistry(Map<PoolType, BackendProvider> providers) {
        this.providers = providers;
    }

    /** Loads every provider visible to this class's loader. Two providers for one type is a packaging error. */
    public static BackendRegistry load() {
        return of(ServiceLoader.load(BackendProvider.class, BackendRegistry.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList());
    }

    /** A registry from explicit providers (tests, embedded use). */
    public static BackendRegistry of(List<BackendProvider> list) {
        Map<PoolType, BackendProvider> byType = new EnumMap<>(PoolType.class);
        for (BackendProvider provider : list) {
            for (PoolType type : provider.types()) {
                BackendProvider previous = byType.putIfAbsent(type, provider);
                if (previous != null && previous.getClass() != provider.getClass()) {
                    throw new IllegalStateException("two backend providers for " + type.volumeType() + ": "
                            + previous.getClass().getName() + " and " + provider.getClass().getName());
                }
            }
        }
        return new BackendRegistry(byType);
    }

    /** The pool types some provider serves. */
    public java.util.Set<PoolType> types() {
        return java.util.Collections.unmodifiableSet(providers.keySet());
    }

    /** Builds the backend for a pool type. */
    public Backend create(PoolType type, BackendContext context) {
        BackendProvider provider = providers.get(type);
        if (provider == null) {
            throw new StorageException.Unavailable("no backend for volume type " + type.volumeType()
                    + " is installed (providers found: " + providers.keySet() + ")");
        }
        return provider.create(type, context);
    }
}
