package io.openlocal.backend;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {

    @Test
    void aPoolTypeWithoutProviderIsAClearError() {
        BackendRegistry registry = BackendRegistry.of(List.of());
        var context = new BackendContext("node-1", c -> { throw new AssertionError("no command expected"); },
                Path.of("/tmp"), Map.of());
        assertThatThrownBy(() -> registry.create(PoolType.SPDK, context))
                .isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("no backend for volume type SPDK");
    }

    @Test
    void volumeTypeIsCaseSensitiveAsInOpenLocal() {
        assertThatThrownBy(() -> PoolType.fromVolumeType("lvm"))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("volumeType");
    }
}
