package io.openlocal.lvm;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.volume.CowSpace;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.lvm.capacity.Allocation;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.VgReport;
import io.openlocal.lvm.volume.LvNames;
import io.openlocal.lvm.volume.Ownership;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Snapshots: a thin snapshot for a thin origin (no size, blocks shared in the pool, counted against the pool's
 * over-provisioning cap), a copy-on-write snapshot with its own COW space for a linear or striped origin. Both
 * need device-mapper; on a node without it they are refused before anything runs.
 */
final class SnapshotOperations {

    private final LvmContext lvm;
    private final VolumeOperations volumes;

    SnapshotOperations(LvmContext lvm, VolumeOperations volumes) {
        this.lvm = lvm;
        this.volumes = volumes;
    }

    Snapshot create(SnapshotSpec spec) {
        String vg = VolumeOperations.requireRef(spec.source());
        String source = lvm.ownership().requireOwnableName("source.name", spec.source().name());
        String name = lvm.ownership().requireOwnableName("name", spec.name());
        LvNames.requireDeviceMapperNameFits("name", vg, name);
        if (!spec.parameters().isEmpty()) {
            String key = new TreeSet<>(spec.parameters().keySet()).first();
            throw new StorageException.InvalidArgument("parameters: unknown key '" + key
                    + "' for an LVM snapshot (it takes none; the COW size is sizeBytes)");
        }
        if (spec.sizeBytes() < 0) {
            throw new StorageException.InvalidArgument("sizeBytes: must not be negative, got " + spec.sizeBytes());
        }
        if (!lvm.deviceMapper().present()) {
            throw lvm.deviceMapper().unavailable("taking a snapshot");
        }
        return lvm.locks().withLock(vg, () -> {
            VgReport report = volumes.requireVg(vg);
            LvReport origin = report.lv(source).orElseThrow(() -> new StorageException.NotFound("source: volume "
                    + spec.source() + " does not exist"));
            lvm.ownership().requireOwned(origin, vg, "snapshot");
            Optional<LvReport> existing = report.lv(name);
            if (existing.isPresent()) {
                return sameOrConflict(vg, existing.get(), source);
            }
            String what = "snapshot " + vg + "/" + name;
            Command command = switch (origin.kind()) {
                case THIN -> {
                    LvReport pool = report.lv(origin.poolLv()).orElseThrow(() -> new StorageException.Internal(
                            "thin pool " + origin.poolLv() + " of " + spec.source() + " is not in the report"));
                    Allocation.requireThinRoom(what, report, pool, origin.sizeBytes(),
                            lvm.settings().thinOverProvisionRatio());
                    yield lvm.cli().createThinSnapshot(vg, source, name, Ownership.TAG);
                }
                case LINEAR, STRIPED -> {
                    long wanted = spec.sizeBytes() > 0 ? spec.sizeBytes()
                            : Math.min(lvm.settings().snapshotInitialSizeBytes(), origin.sizeBytes());
                    long cow = Allocation.roundUp("sizeBytes", wanted, report.extentSizeBytes(), 1);
                    Allocation.requireFree(what, cow, report);
                    yield lvm.cli().createCowSnapshot(vg, source, name, cow, Ownership.TAG);
                }
                default -> throw new StorageException.InvalidArgument("source: " + spec.source() + " is a "
                        + origin.kind().label() + " LV, which this backend does not snapshot");
            };
            lvm.change(command, what);
            VgReport after = lvm.reports().current().vg(vg).orElseThrow(() -> new StorageException.Internal(
                    "VG " + vg + " vanished after creating " + name));
            LvReport made = after.lv(name).orElseThrow(() -> new StorageException.Internal("snapshot " + vg + "/"
                    + name + " is not in the report after lvm said it succeeded"));
            return lvm.views().snapshot(vg, made);
        });
    }

    void delete(VolumeRef ref) {
        String vg = VolumeOperations.requireRef(ref);
        String name = lvm.ownership().requireOwnableName("name", ref.name());
        lvm.locks().withLock(vg, () -> {
            Optional<LvReport> found = lvm.reports().fresh().vg(vg).flatMap(r -> r.lv(name));
            if (found.isEmpty()) {
                return; // absent is success
            }
            LvReport lv = found.get();
            lvm.ownership().requireOwned(lv, vg, "remove");
            if (!lv.kind().isSnapshot()) {
                throw new StorageException.InvalidArgument("snapshot " + ref + " is a " + lv.kind().label()
                        + " LV, not a snapshot");
            }
            if (!lvm.deviceMapper().present()) {
                throw lvm.deviceMapper().unavailable("removing a snapshot");
            }
            try {
                lvm.change(lvm.cli().remove(vg, name), "snapshot " + ref);
            } catch (StorageException.NotFound e) {
                // Gone already: the outcome asked for.
            }
        });
    }

    /** The COW area of a thick snapshot; empty for thin snapshots (they share their pool) and absent ones. */
    Optional<CowSpace> cowSpace(VolumeRef ref) {
        String vg = VolumeOperations.requireRef(ref);
        String name = lvm.ownership().requireOwnableName("name", ref.name());
        return lvm.reports().fresh().vg(vg).flatMap(r -> r.lv(name))
                .filter(lv -> lv.kind() == LvKind.SNAPSHOT)
                .map(lv -> new CowSpace(lv.sizeBytes(), lv.dataPercent().orElse(0)));
    }

    /**
     * Grows a thick snapshot's COW area (whole extents) so the origin's changes keep fitting: Open-Local's
     * snapshot expansion. A size it already has is success; shrinking is never done.
     */
    CowSpace growCowSpace(VolumeRef ref, long newSizeBytes) {
        String vg = VolumeOperations.requireRef(ref);
        String name = lvm.ownership().requireOwnableName("name", ref.name());
        Sizes.requirePositive("newSizeBytes", newSizeBytes);
        if (!lvm.deviceMapper().present()) {
            throw lvm.deviceMapper().unavailable("growing a snapshot");
        }
        return lvm.locks().withLock(vg, () -> {
            VgReport report = volumes.requireVg(vg);
            LvReport lv = report.lv(name).orElseThrow(() -> new StorageException.NotFound("snapshot " + ref
                    + " does not exist"));
            lvm.ownership().requireOwned(lv, vg, "grow");
            if (lv.kind() != LvKind.SNAPSHOT) {
                throw new StorageException.InvalidArgument("snapshot " + ref + " is a " + lv.kind().label()
                        + " LV, which has no copy-on-write space of its own");
            }
            long size = Allocation.roundUp("newSizeBytes", newSizeBytes, report.extentSizeBytes(), 1);
            if (size <= lv.sizeBytes()) {
                return new CowSpace(lv.sizeBytes(), lv.dataPercent().orElse(0));
            }
            String what = "growing the COW space of snapshot " + ref + " by " + (size - lv.sizeBytes()) + " bytes";
            Allocation.requireFree(what, size - lv.sizeBytes(), report);
            lvm.change(lvm.cli().extend(vg, name, size), what);
            LvReport after = lvm.reports().current().vg(vg).flatMap(r -> r.lv(name)).orElseThrow(() ->
                    new StorageException.Internal("snapshot " + ref + " vanished while growing"));
            return new CowSpace(after.sizeBytes(), after.dataPercent().orElse(0));
        });
    }

    private Snapshot sameOrConflict(String vg, LvReport lv, String source) {
        if (lv.kind().isSnapshot() && lv.origin().equals(source) && lvm.ownership().owns(lv)) {
            return lvm.views().snapshot(vg, lv);
        }
        throw new StorageException.AlreadyExists("snapshot " + vg + "/" + lv.name() + " exists and is not a snapshot"
                + " of " + source + " owned by this system (" + lv.kind().label()
                + (lv.origin().isEmpty() ? "" : " of " + lv.origin()) + ")");
    }
}
