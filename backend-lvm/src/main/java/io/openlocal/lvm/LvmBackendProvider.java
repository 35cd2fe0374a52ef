package io.openlocal.lvm;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendProvider;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import java.util.Set;

/** Makes {@link LvmBackend}s; found through {@code META-INF/services/io.openlocal.backend.BackendProvider}. */
public final class LvmBackendProvider implements BackendProvider {

    @Override
    public Set<PoolType> types() {
        return Set.of(PoolType.LVM);
    }

    @Override
    public Backend create(PoolType type, BackendContext context) {
        if (type != PoolType.LVM) {
            throw new StorageException.InvalidArgument("type: the LVM provider cannot build a " + type.volumeType()
                    + " backend");
        }
        return new LvmBackend(context);
    }
}
