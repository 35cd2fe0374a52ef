package io.openlocal.lvm;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.lvm.capacity.Allocation;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.VgReport;
import io.openlocal.lvm.volume.Layout;
import io.openlocal.lvm.volume.LvNames;
import io.openlocal.lvm.volume.Ownership;
import java.util.Optional;

/**
 * Create, expand and delete of LVs. Each reads top to bottom: validate (nothing runs on bad input), refuse what
 * needs device-mapper on a node without it, take the VG lock, read a fresh report, decide (idempotency,
 * ownership, capacity), run one lvm command, forget the cached report.
 */
final class VolumeOperations {

    private final LvmContext lvm;

    VolumeOperations(LvmContext lvm) {
        this.lvm = lvm;
    }

    Volume create(VolumeSpec spec) {
        String vg = LvNames.requireVgName("pool", spec.pool());
        String name = lvm.ownership().requireOwnableName("name", spec.name());
        LvNames.requireDeviceMapperNameFits("name", vg, name);
        Sizes.requirePositive("sizeBytes", spec.sizeBytes());
        Layout layout = Layout.fromParameters(spec.parameters());
        if (spec.source().isPresent()) {
            throw new StorageException.Unsupported("source: creating an LVM volume from a snapshot or another volume "
                    + "is not supported by this backend");
        }
        if (layout.kind().needsDeviceMapper() && !lvm.deviceMapper().present()) {
            throw lvm.deviceMapper().unavailable("creating a " + layout.kind().label() + " volume");
        }
        return lvm.locks().withLock(vg, () -> createLocked(requireVg(vg), name, spec.sizeBytes(), layout));
    }

    /** Creates (or finds, when it exists as asked) an LV; the caller holds the VG lock. */
    Volume createLocked(VgReport vg, String name, long requestedBytes, Layout layout) {
        if (layout.kind() == LvKind.STRIPED && layout.stripeSizeBytes() > vg.extentSizeBytes()) {
            throw new StorageException.InvalidArgument("parameters." + Layout.STRIPE_SIZE + ": "
                    + layout.stripeSizeBytes() + " is larger than the extent size " + vg.extentSizeBytes()
                    + " of VG " + vg.name());
        }
        long size = Allocation.roundUp("sizeBytes", requestedBytes, vg.extentSizeBytes(), layout.stripes());
        Optional<LvReport> existing = vg.lv(name);
        if (existing.isPresent()) {
            return sameOrConflict(vg, existing.get(), size, layout);
        }
        String what = "volume " + vg.name() + "/" + name;
        String tag = Ownership.TAG;
        Command command = switch (layout.kind()) {
            case LINEAR -> {
                Allocation.requireFree(what, size, vg);
                yield lvm.cli().createLinear(vg.name(), name, size, tag);
            }
            case STRIPED -> {
                Allocation.requireStripesFit(what, size, layout.stripes(), vg);
                yield lvm.cli().createStriped(vg.name(), name, size, layout.stripes(), layout.stripeSizeBytes(), tag);
            }
            case THIN -> {
                LvReport pool = requireOwnedThinPool(vg, layout.thinPool());
                Allocation.requireThinRoom(what, vg, pool, size, lvm.settings().thinOverProvisionRatio());
                yield lvm.cli().createThin(vg.name(), name, size, pool.name(), tag);
            }
            case THIN_POOL -> {
                long metadata = Allocation.thinPoolMetadataBytes(size, vg.extentSizeBytes());
                // Data, metadata, and lvm2's metadata spare of the same size (the first check keeps the sum small).
                Allocation.requireFree(what, size, vg);
                Allocation.requireFree(what, size + 2 * metadata, vg);
                yield lvm.cli().createThinPool(vg.name(), name, size, metadata, tag);
            }
            default -> throw new IllegalStateException("no create for " + layout.kind());
        };
        try {
            lvm.change(command, what);
        } catch (StorageException.AlreadyExists e) {
            // Made outside this JVM between our report and our lvcreate: apply the idempotency rule to it.
            VgReport now = requireVg(vg.name());
            LvReport raced = now.lv(name).orElseThrow(() -> e);
            return sameOrConflict(now, raced, size, layout);
        }
        return readBack(vg.name(), name);
    }

    Volume expand(VolumeRef ref, long newSizeBytes) {
        String vg = requireRef(ref);
        String name = lvm.ownership().requireOwnableName("name", ref.name());
        Sizes.requirePositive("newSizeBytes", newSizeBytes);
        return lvm.locks().withLock(vg, () -> {
            VgReport report = requireVg(vg);
            LvReport lv = report.lv(name).orElseThrow(() -> new StorageException.NotFound("volume " + ref
                    + " does not exist"));
            lvm.ownership().requireOwned(lv, vg, "expand");
            LvKind kind = lv.kind();
            if (kind.isSnapshot() || kind == LvKind.OTHER) {
                throw new StorageException.InvalidArgument("volume " + ref + " is a " + kind.label()
                        + " LV, which this backend does not expand");
            }
            if (kind.needsDeviceMapper() && !lvm.deviceMapper().present()) {
                throw lvm.deviceMapper().unavailable("expanding a " + kind.label() + " volume");
            }
            long size = Allocation.roundUp("newSizeBytes", newSizeBytes, report.extentSizeBytes(), lv.stripes());
            if (size == lv.sizeBytes()) {
                return lvm.views().volume(vg, lv);
            }
            if (size < lv.sizeBytes()) {
                throw new StorageException.InvalidArgument("newSizeBytes: " + newSizeBytes + " would shrink volume "
                        + ref + " from " + lv.sizeBytes() + " bytes; LVM volumes only grow");
            }
            long delta = size - lv.sizeBytes();
            String what = "expanding volume " + ref + " by " + delta + " bytes";
            switch (kind) {
                case THIN -> Allocation.requireThinRoom(what, report, requireOwnedThinPool(report, lv.poolLv()), delta,
                        lvm.settings().thinOverProvisionRatio());
                case STRIPED -> Allocation.requireStripesFit(what, delta, lv.stripes(), report);
                default -> Allocation.requireFree(what, delta, report);
            }
            lvm.change(lvm.cli().extend(vg, name, size), "volume " + ref);
            return readBack(vg, name);
        });
    }

    void delete(VolumeRef ref) {
        String vg = requireRef(ref);
        String name = lvm.ownership().requireOwnableName("name", ref.name());
        lvm.locks().withLock(vg, () -> {
            Optional<VgReport> report = lvm.reports().fresh().vg(vg);
            Optional<LvReport> found = report.flatMap(r -> r.lv(name));
            if (found.isEmpty()) {
                return; // absent is success
            }
            LvReport lv = found.get();
            lvm.ownership().requireOwned(lv, vg, "remove");
            if (lv.kind().isSnapshot()) {
                throw new StorageException.InvalidArgument("volume " + ref + " is a snapshot; delete it as a snapshot");
            }
            if (lv.kind() == LvKind.THIN_POOL && !report.get().thinVolumesOf(name).isEmpty()) {
                throw new StorageException.Busy("thin pool " + ref + " still holds thin volumes "
                        + report.get().thinVolumesOf(name).stream().map(LvReport::name).toList());
            }
            if (!report.get().snapshotsOf(name).isEmpty()) {
                throw new StorageException.Busy("volume " + ref + " has snapshots "
                        + report.get().snapshotsOf(name).stream().map(LvReport::name).toList()
                        + "; delete them first");
            }
            if (lv.kind().needsDeviceMapper() && !lvm.deviceMapper().present()) {
                throw lvm.deviceMapper().unavailable("removing a " + lv.kind().label() + " volume");
            }
            try {
                lvm.change(lvm.cli().remove(vg, name), "volume " + ref);
            } catch (StorageException.NotFound e) {
                // Removed by someone else in the meantime: the outcome asked for.
            }
        });
    }

    private LvReport requireOwnedThinPool(VgReport vg, String poolName) {
        LvReport pool = vg.lv(poolName).orElseThrow(() -> new StorageException.NotFound("parameters."
                + Layout.THIN_POOL + ": thin pool " + vg.name() + "/" + poolName + " does not exist"));
        if (pool.kind() != LvKind.THIN_POOL) {
            throw new StorageException.InvalidArgument("parameters." + Layout.THIN_POOL + ": " + vg.name() + "/"
                    + poolName + " is a " + pool.kind().label() + " LV, not a thin pool");
        }
        lvm.ownership().requireOwned(pool, vg.name(), "allocate thin volumes in");
        return pool;
    }

    private Volume sameOrConflict(VgReport vg, LvReport lv, long size, Layout layout) {
        if (!lvm.ownership().owns(lv)) {
            throw new StorageException.AlreadyExists("volume " + vg.name() + "/" + lv.name()
                    + " exists and is not owned by this system");
        }
        if (lv.sizeBytes() == size && layout.matches(lv)) {
            return lvm.views().volume(vg.name(), lv);
        }
        throw new StorageException.AlreadyExists("volume " + vg.name() + "/" + lv.name() + " exists with "
                + lv.sizeBytes() + " bytes, " + Layout.describe(lv) + "; asked for " + size + " bytes (after rounding), "
                + layout.describe());
    }

    private Volume readBack(String vg, String name) {
        // The change invalidated the cache, so this read also serves the next discovery pass.
        VgReport report = lvm.reports().current().vg(vg).orElseThrow(() -> new StorageException.Internal(
                "VG " + vg + " vanished after a change to " + name));
        LvReport lv = report.lv(name).orElseThrow(() -> new StorageException.Internal("LV " + vg + "/" + name
                + " is not in the report after lvm said it succeeded"));
        return lvm.views().volume(vg, lv);
    }

    VgReport requireVg(String vg) {
        return lvm.reports().fresh().vg(vg).orElseThrow(() -> new StorageException.NotFound("pool: VG " + vg
                + " does not exist"));
    }

    static String requireRef(VolumeRef ref) {
        if (ref.type() != PoolType.LVM) {
            throw new StorageException.InvalidArgument("ref: " + ref + " is not an LVM volume");
        }
        return LvNames.requireVgName("pool", ref.pool());
    }
}
