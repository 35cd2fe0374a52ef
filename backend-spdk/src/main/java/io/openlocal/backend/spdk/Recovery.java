package io.openlocal.backend.spdk;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.export.SpdkExports;
import io.openlocal.backend.spdk.state.ExportRecord;
import io.openlocal.backend.spdk.state.PoolRecord;
import io.openlocal.backend.spdk.target.LvstoreInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings the target back to what Open-Local owns after it (re)connects: attaches each owned pool's base
 * device again if the target lost it (a restarted target keeps no bdevs), waits for the lvol module to
 * examine them (which loads the lvstores and their lvols, with their UUIDs, from the devices), checks each
 * lvstore came back as recorded, then restores every recorded export. Nothing here throws for one pool or
 * export: what cannot be restored is reported, the rest goes on. Only losing the target itself
 * (Unavailable) ends the pass.
 */
final class Recovery {

    private final SpdkContext ctx;
    private final SpdkExports exports;
    private final BaseDeviceAttacher attacher;

    Recovery(SpdkContext ctx, SpdkExports exports, BaseDeviceAttacher attacher) {
        this.ctx = ctx;
        this.exports = exports;
        this.attacher = attacher;
    }

    RecoveryReport run(long generation) {
        List<String> reattached = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        var state = ctx.store.get();
        for (var entry : state.pools().entrySet()) {
            String pool = entry.getKey();
            PoolRecord record = entry.getValue();
            try {
                if (ctx.target.bdev(record.bdevName()).isEmpty()) {
                    attacher.attach(pool, BaseDevice.parse("pool " + pool + " device", record.device()),
                            record.aioBlockSize());
                    reattached.add(pool + ": " + record.device() + " as bdev " + record.bdevName());
                }
            } catch (StorageException.Unavailable e) {
                throw e;
            } catch (StorageException e) {
                problems.add("pool " + pool + ": cannot attach " + record.device() + " again: " + e.getMessage());
            }
        }
        if (!state.pools().isEmpty()) {
            ctx.target.waitForExamine();
        }
        for (var entry : state.pools().entrySet()) {
            String pool = entry.getKey();
            PoolRecord record = entry.getValue();
            Optional<LvstoreInfo> lvs = ctx.target.lvstore(pool);
            if (lvs.isEmpty()) {
                problems.add("pool " + pool + ": lvstore not found on " + record.device() + " (bdev "
                        + record.bdevName() + ")");
            } else if (record.lvstoreUuid() != null && !record.lvstoreUuid().equals(lvs.get().uuid())) {
                problems.add("pool " + pool + ": an lvstore of that name came back with UUID " + lvs.get().uuid()
                        + ", not the recorded " + record.lvstoreUuid());
            } else if (!lvs.get().baseBdev().equals(record.bdevName())) {
                problems.add("pool " + pool + ": the lvstore is on bdev " + lvs.get().baseBdev() + ", not on "
                        + record.bdevName());
            }
        }
        for (ExportRecord export : state.exports().values()) {
            try {
                boolean present = export.kind().equals(ExportRecord.NVMF)
                        ? ctx.target.subsystem(export.nqn()).map(s -> s.namespaces().stream()
                                .anyMatch(ns -> ns.bdevName().equals(export.lvolUuid()))).orElse(false)
                        : ctx.target.vhostController(export.controller())
                                .flatMap(c -> c.bdev()).filter(export.lvolUuid()::equals).isPresent();
                String what = exports.restore(export);
                if (!present) {
                    restored.add(export.key() + ": " + what);
                }
            } catch (StorageException.Unavailable e) {
                throw e;
            } catch (StorageException e) {
                problems.add("export of " + export.key() + " (" + export.kind() + "): " + e.getMessage());
            }
        }
        return new RecoveryReport(generation, reattached, restored, problems);
    }
}
