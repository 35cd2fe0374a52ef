package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsAndProviderTest {

    @Test
    void defaultsMatchOpenLocal() {
        LvmSettings settings = LvmSettings.defaults();
        assertThat(settings.lvNamePrefix()).isEqualTo("local");
        assertThat(settings.adoptUntaggedLvs()).isTrue();
        assertThat(settings.reportCacheTtl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.thinOverProvisionRatio()).isEqualTo(1.0);
        assertThat(settings.snapshotInitialSizeBytes()).isEqualTo(4L << 30);
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void settingsAreReadAndUnknownOrBadValuesAreRefusedByKey() {
        LvmSettings settings = LvmSettings.from(Map.of("lvNamePrefix", "pv", "adoptUntaggedLvs", "false",
                "reportCacheTtlMillis", "0", "thinOverProvisionRatio", "2.5", "snapshotInitialSizeBytes", "1048576",
                "commandTimeoutSeconds", "5"));
        assertThat(settings.lvNamePrefix()).isEqualTo("pv");
        assertThat(settings.adoptUntaggedLvs()).isFalse();
        assertThat(settings.reportCacheTtl()).isZero();
        assertThat(settings.thinOverProvisionRatio()).isEqualTo(2.5);
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("lvnameprefix", "x"), "'lvnameprefix'",
                Map.of("lvNamePrefix", "a/b"), "lvNamePrefix",
                Map.of("lvNamePrefix", "-x"), "lvNamePrefix",
                Map.of("lvNamePrefix", "snapshotty"), "lvNamePrefix",
                Map.of("adoptUntaggedLvs", "yes"), "adoptUntaggedLvs",
                Map.of("reportCacheTtlMillis", "-1"), "reportCacheTtlMillis",
                Map.of("thinOverProvisionRatio", "0.5"), "thinOverProvisionRatio",
                Map.of("thinOverProvisionRatio", "NaN"), "thinOverProvisionRatio",
                Map.of("snapshotInitialSizeBytes", "0"), "snapshotInitialSizeBytes",
                Map.of("commandTimeoutSeconds", "x"), "commandTimeoutSeconds");
        bad.forEach((values, key) -> assertThatThrownBy(() -> LvmSettings.from(values)).as("%s", values)
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining(key));
    }

    @Test
    void providerIsFoundByTheRegistryAndBuildsAnLvmBackend() {
        BackendRegistry registry = BackendRegistry.load();
        assertThat(registry.types()).contains(PoolType.LVM);
        try (Backend backend = registry.create(PoolType.LVM, new BackendContext("node-a",
                io.openlocal.backend.command.ProcessCommandRunner.standard(), Path.of("/tmp"), Map.of()))) {
            assertThat(backend.type()).isEqualTo(PoolType.LVM);
            assertThat(backend.health().ready()).isTrue();
        }
        assertThatThrownBy(() -> new LvmBackendProvider().create(PoolType.DEVICE, new BackendContext("node-a",
                c -> null, Path.of("/tmp"), Map.of()))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> registry.create(PoolType.LVM, new BackendContext("node-a", c -> null,
                Path.of("/tmp"), Map.of("nope", "1")))).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("'nope'");
    }
}
