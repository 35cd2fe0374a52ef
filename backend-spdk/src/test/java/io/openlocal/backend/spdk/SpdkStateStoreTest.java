package io.openlocal.backend.spdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.spdk.state.ExportRecord;
import io.openlocal.backend.spdk.state.PoolRecord;
import io.openlocal.backend.spdk.state.SnapshotRecord;
import io.openlocal.backend.spdk.state.SpdkState;
import io.openlocal.backend.spdk.state.SpdkStateStore;
import io.openlocal.testinfra.spdk.ShortTempDir;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class SpdkStateStoreTest {

    @Test
    void recordsSurviveANewStoreAndNoTemporaryFileIsLeft() throws Exception {
        try (ShortTempDir dir = ShortTempDir.create()) {
            SpdkStateStore store = new SpdkStateStore(dir.path());
            PoolRecord pool = new PoolRecord("aio:/dev/sdb", "ol-p", "c08fea38-24ec-4fdf-a120-99840eaa6db7", 0);
            ExportRecord export = new ExportRecord("p", "v", ExportRecord.NVMF, "u", "nqn.2024-11.io.openlocal:n:p:v",
                    "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555", "127.0.0.1", "IPv4", 4420, null);
            SnapshotRecord snap = new SnapshotRecord("p", "s", "v", 42);
            store.update(s -> s.withPools(m -> m.put("p", pool)).withExports(m -> m.put(export.key(), export))
                    .withSnapshots(m -> m.put(snap.key(), snap)));
            SpdkStateStore reread = new SpdkStateStore(dir.path());
            assertThat(reread.get().pools()).containsEntry("p", pool);
            assertThat(reread.get().exports()).containsEntry("p/v", export);
            assertThat(reread.get().snapshots()).containsEntry("p/s", snap);
            try (var files = Files.list(store.file().getParent())) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("state.json", ".lock");
            }
        }
    }

    /** The agent and the CSI node plugin each hold a store on the same record: neither loses the other's change. */
    @Test
    void twoStoresOnOneRecordSeeAndKeepEachOthersChanges() throws Exception {
        try (ShortTempDir dir = ShortTempDir.create()) {
            SpdkStateStore agent = new SpdkStateStore(dir.path());
            SpdkStateStore plugin = new SpdkStateStore(dir.path());
            PoolRecord pool = new PoolRecord("aio:/dev/sdb", "ol-p", "c08fea38-24ec-4fdf-a120-99840eaa6db7", 0);
            agent.update(s -> s.withPools(m -> m.put("p", pool)));
            assertThat(plugin.get().pools()).containsEntry("p", pool);

            ExportRecord export = new ExportRecord("p", "v", ExportRecord.NVMF, "u", "nqn.2024-11.io.openlocal:n:p:v",
                    "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555", "127.0.0.1", "IPv4", 4420,
                    null);
            plugin.update(s -> s.withExports(m -> m.put(export.key(), export)));
            SnapshotRecord snap = new SnapshotRecord("p", "s", "v", 42);
            // The agent's copy is stale now; its change must start from the plugin's record, not overwrite it.
            agent.update(s -> s.withSnapshots(m -> m.put(snap.key(), snap)));

            SpdkState onDisk = new SpdkStateStore(dir.path()).get();
            assertThat(onDisk.pools()).containsEntry("p", pool);
            assertThat(onDisk.exports()).containsEntry("p/v", export);
            assertThat(onDisk.snapshots()).containsEntry("p/s", snap);
            assertThat(plugin.get()).isEqualTo(onDisk);
        }
    }
}
