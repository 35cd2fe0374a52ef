package io.openlocal.lvm;

import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.progress.ProgressSteps;
import io.openlocal.lvm.device.DeviceProbe;
import io.openlocal.lvm.device.DeviceState;
import io.openlocal.lvm.pool.PoolOptions;
import io.openlocal.lvm.pool.PoolViews;
import io.openlocal.lvm.report.FullReport;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.PvReport;
import io.openlocal.lvm.report.VgReport;
import io.openlocal.lvm.volume.Layout;
import io.openlocal.lvm.volume.LvNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes a VG from devices (pvcreate + vgcreate), or returns it when it already exists from the same devices.
 *
 * <p>Every device is checked before anything is written: it must exist (NotFound), be a block device, not be a
 * PV of another VG, not be mounted, have no partitions, holders or stacked devices, and carry no signature
 * (filesystem, partition table, RAID...) unless {@code force}. {@code force} overrides signatures only: a device
 * in use is never taken. A device that is already an orphan PV (a crash between pvcreate and vgcreate) is
 * reused, so a retried initialisation completes. Each device is labelled by its own pvcreate, so progress can
 * name it; when a pvcreate or the vgcreate fails, the PV labels this call wrote are removed again.
 *
 * <p>Progress: {@code checking <devices>}, then {@code pvcreate <device> (i/n)} per device to label,
 * {@code vgcreate <vg> (i/n)}, and {@code lvcreate thin pool <vg>/<pool> (n/n)} when a thin pool is asked for.
 */
final class PoolInitializer {

    private final LvmContext lvm;
    private final DeviceProbe probe;
    private final PoolViews views;
    private final VolumeOperations volumes;
    private final Progress progress;

    PoolInitializer(LvmContext lvm, DeviceProbe probe, PoolViews views, VolumeOperations volumes, Progress progress) {
        this.lvm = lvm;
        this.probe = probe;
        this.views = views;
        this.volumes = volumes;
        this.progress = progress;
    }

    PoolInfo init(PoolSpec spec) {
        if (spec.type() != PoolType.LVM) {
            throw new StorageException.InvalidArgument("type: the LVM backend cannot initialise a "
                    + spec.type().volumeType() + " pool");
        }
        String vg = LvNames.requireVgName("name", spec.name());
        if (spec.devices().isEmpty()) {
            throw new StorageException.InvalidArgument("devices: a VG needs at least one device");
        }
        Set<String> devices = new LinkedHashSet<>();
        for (int i = 0; i < spec.devices().size(); i++) {
            String device = Names.requireDevicePath("devices[" + i + "]", spec.devices().get(i));
            if (!devices.add(device)) {
                throw new StorageException.InvalidArgument("devices[" + i + "]: " + device + " is listed twice");
            }
        }
        PoolOptions options = PoolOptions.from(spec.options(), lvm.ownership());
        if (options.thinPool().isPresent() && !lvm.deviceMapper().present()) {
            throw lvm.deviceMapper().unavailable("a VG with thin pool " + options.thinPool().get());
        }
        return lvm.locks().withLock(vg, () -> {
            try (ProgressSteps steps = ProgressSteps.begin(progress, "initialising VG " + vg)) {
                return initLocked(vg, List.copyOf(devices), spec.force(), options, steps);
            }
        });
    }

    private PoolInfo initLocked(String vg, List<String> devices, boolean force, PoolOptions options,
                                ProgressSteps steps) {
        steps.note("checking " + String.join(", ", devices));
        Map<String, String> realPaths = new HashMap<>();
        for (String device : devices) {
            realPaths.put(device, realPath(device));
        }
        FullReport report = lvm.reports().fresh();
        Optional<VgReport> existing = report.vg(vg);
        if (existing.isPresent()) {
            return existingPool(existing.get(), new TreeSet<>(realPaths.values()), options, steps);
        }
        Map<String, PvReport> pvsByRealPath = new HashMap<>();
        for (PvReport pv : report.allPvs()) {
            realPathIfPresent(pv.device()).ifPresent(real -> pvsByRealPath.put(real, pv));
        }
        List<String> toLabel = new ArrayList<>();
        for (String device : devices) {
            PvReport pv = pvsByRealPath.get(realPaths.get(device));
            if (pv != null && !pv.orphan()) {
                throw new StorageException.InvalidArgument("devices: " + device + " is already a PV of VG "
                        + pv.vgName());
            }
            DeviceState state = probe.probe(device);
            if (state.inUse()) {
                throw new StorageException.InvalidArgument("devices: " + device + " is in use (mounted at "
                        + state.mountpoints() + ", partitions or stacked devices " + state.children() + ", holders "
                        + state.holders() + "); it is never taken, force or not");
            }
            if (pv != null) {
                continue; // an orphan PV: labelled by an earlier attempt, reused as it is
            }
            if (!state.signatures().isEmpty() && !force) {
                throw new StorageException.InvalidArgument("devices: " + device + " holds " + state.signatures()
                        + " (a filesystem, partition table or other data); set force to overwrite it");
            }
            toLabel.add(device);
        }
        steps.plan(toLabel.size() + 1 + (options.thinPool().isPresent() ? 1 : 0));
        List<String> labelled = new ArrayList<>();
        try {
            for (String device : toLabel) {
                steps.step("pvcreate " + device);
                lvm.change(lvm.cli().pvcreate(List.of(device), force), "device " + device);
                labelled.add(device);
            }
            steps.step("vgcreate " + vg);
            lvm.change(lvm.cli().vgcreate(vg, options.extentSizeBytes(), devices), "VG " + vg);
        } catch (StorageException e) {
            undoLabels(labelled, e);
            throw e;
        }
        VgReport created = volumes.requireVg(vg);
        return ensureThinPool(created, options, steps);
    }

    private PoolInfo existingPool(VgReport vg, Set<String> wanted, PoolOptions options, ProgressSteps steps) {
        Set<String> have = new TreeSet<>();
        for (PvReport pv : vg.pvs()) {
            have.add(realPathIfPresent(pv.device()).orElse(pv.device()));
        }
        if (!have.equals(wanted)) {
            throw new StorageException.AlreadyExists("VG " + vg.name() + " exists with devices " + have + ", not "
                    + wanted);
        }
        if (options.extentSizeBytes() > 0 && options.extentSizeBytes() != vg.extentSizeBytes()) {
            throw new StorageException.AlreadyExists("VG " + vg.name() + " exists with extent size "
                    + vg.extentSizeBytes() + ", not " + options.extentSizeBytes());
        }
        return ensureThinPool(vg, options, steps);
    }

    private PoolInfo ensureThinPool(VgReport vg, PoolOptions options, ProgressSteps steps) {
        if (options.thinPool().isEmpty()) {
            return views.pool(vg);
        }
        String pool = options.thinPool().get();
        Optional<LvReport> existing = vg.lv(pool);
        if (existing.isPresent() && existing.get().kind() != LvKind.THIN_POOL) {
            throw new StorageException.AlreadyExists("options.thinPool: " + vg.name() + "/" + pool + " exists as a "
                    + existing.get().kind().label() + " LV");
        }
        if (existing.isEmpty()) {
            steps.step("lvcreate thin pool " + vg.name() + "/" + pool);
        }
        volumes.createLocked(vg, pool, options.thinPoolSizeBytes(), new Layout(LvKind.THIN_POOL, 1, 0, ""));
        return views.pool(volumes.requireVg(vg.name()));
    }

    private void undoLabels(List<String> labelled, StorageException cause) {
        if (labelled.isEmpty()) {
            return;
        }
        try {
            CommandResult undo = lvm.runner().run(lvm.cli().pvremove(labelled));
            if (!undo.succeeded()) {
                cause.addSuppressed(undo.failure());
            }
        } catch (StorageException e) {
            cause.addSuppressed(e);
        } finally {
            lvm.reports().invalidate();
        }
    }

    private static String realPath(String device) {
        Path path = Path.of(device);
        if (!Files.exists(path)) {
            throw new StorageException.NotFound("devices: " + device + " does not exist");
        }
        try {
            return path.toRealPath().toString();
        } catch (IOException e) {
            throw new StorageException.NotFound("devices: cannot resolve " + device + ": " + e.getMessage());
        }
    }

    private static Optional<String> realPathIfPresent(String device) {
        try {
            return Optional.of(Path.of(device).toRealPath().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // "[unknown]" for a missing PV, or a node that vanished
        }
    }
}
