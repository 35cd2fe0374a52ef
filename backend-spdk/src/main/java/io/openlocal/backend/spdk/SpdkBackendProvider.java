package io.openlocal.backend.spdk;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendProvider;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import java.util.Set;

/** Makes the SPDK backend; registered in META-INF/services. */
public final class SpdkBackendProvider implements BackendProvider {

    @Override
    public Set<PoolType> types() {
        return Set.of(PoolType.SPDK);
    }

    @Override
    public Backend create(PoolType type, BackendContext context) {
        if (type != PoolType.SPDK) {
            throw new StorageException.InvalidArgument("the SPDK provider makes SPDK backends, not " + type.volumeType());
        }
        return new SpdkBackend(context);
    }
}
