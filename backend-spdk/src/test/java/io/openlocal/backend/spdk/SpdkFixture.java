package io.openlocal.backend.spdk;

import io.openlocal.backend.BackendContext;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.Progress;
import io.openlocal.testinfra.spdk.ShortTempDir;
import io.openlocal.testinfra.spdk.SpdkTargetEmulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One emulated SPDK target in a short unique /tmp directory, with disk images in it and backends pointed at
 * it (short timeouts, so failure tests end quickly). Close it to stop everything and delete the directory.
 */
final class SpdkFixture implements AutoCloseable {

    static final long MiB = 1024L * 1024;

    final ShortTempDir dir = ShortTempDir.create();
    final SpdkTargetEmulator target;
    private final List<SpdkBackend> backends = new ArrayList<>();

    SpdkFixture() {
        target = SpdkTargetEmulator.builder(dir.resolve("spdk.sock")).vhostSocketDir(dir.path()).build();
        target.start();
    }

    Path disk(String name, long sizeBytes) {
        return dir.sparseFile(name, sizeBytes);
    }

    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put(SpdkSettings.RPC_SOCKET, target.socketPath().toString());
        s.put(SpdkSettings.CALL_TIMEOUT_MILLIS, "2000");
        s.put(SpdkSettings.CONNECT_TIMEOUT_MILLIS, "300");
        s.put(SpdkSettings.VHOST_SOCKET_DIR, dir.path().toString());
        return s;
    }

    SpdkBackend backend() {
        return backend(settings());
    }

    SpdkBackend backend(Map<String, String> settings) {
        return backend(settings, Progress.NONE);
    }

    SpdkBackend backend(Map<String, String> settings, Progress progress) {
        SpdkBackend backend = new SpdkBackend(new BackendContext("node-a", ProcessCommandRunner.standard(),
                dir.resolve("state"), settings, progress));
        backends.add(backend);
        return backend;
    }

    /** A pool named {@code name} on a new sparse image of {@code sizeMiB} MiB. */
    PoolInfo pool(SpdkBackend backend, String name, long sizeMiB) {
        Path image = disk(name + ".img", sizeMiB * MiB);
        return backend.initPool(new PoolSpec(name, PoolType.SPDK, List.of("aio:" + image), false, Map.of()));
    }

    @Override
    public void close() {
        backends.forEach(SpdkBackend::close);
        target.close();
        dir.close();
    }
}
