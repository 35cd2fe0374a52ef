package io.openlocal.backend.spdk.state;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Everything the SPDK backend must remember across restarts, by key. Immutable; changes make a new value. */
public record SpdkState(int version, Map<String, PoolRecord> pools, Map<String, ExportRecord> exports,
                        Map<String, SnapshotRecord> snapshots) {

    public static final int CURRENT_VERSION = 1;

    public SpdkState {
        pools = Map.copyOf(pools == null ? Map.of() : pools);
        exports = Map.copyOf(exports == null ? Map.of() : exports);
        snapshots = Map.copyOf(snapshots == null ? Map.of() : snapshots);
    }

    public static SpdkState empty() {
        return new SpdkState(CURRENT_VERSION, Map.of(), Map.of(), Map.of());
    }

    public SpdkState withPools(Consumer<Map<String, PoolRecord>> change) {
        Map<String, PoolRecord> copy = new HashMap<>(pools);
        change.accept(copy);
        return new SpdkState(version, copy, exports, snapshots);
    }

    public SpdkState withExports(Consumer<Map<String, ExportRecord>> change) {
        Map<String, ExportRecord> copy = new HashMap<>(exports);
        change.accept(copy);
        return new SpdkState(version, pools, copy, snapshots);
    }

    public SpdkState withSnapshots(Consumer<Map<String, SnapshotRecord>> change) {
        Map<String, SnapshotRecord> copy = new HashMap<>(snapshots);
        change.accept(copy);
        return new SpdkState(version, pools, exports, copy);
    }
}
