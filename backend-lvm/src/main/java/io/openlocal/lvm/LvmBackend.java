package io.openlocal.lvm;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.volume.CowSpace;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.backend.volume.VolumeUsage;
import io.openlocal.lvm.command.DeviceMapper;
import io.openlocal.lvm.command.LvmCli;
import io.openlocal.lvm.device.DeviceProbe;
import io.openlocal.lvm.pool.PoolViews;
import io.openlocal.lvm.report.FullReport;
import io.openlocal.lvm.report.FullReportParser;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.ReportCache;
import io.openlocal.lvm.report.VgReport;
import io.openlocal.lvm.volume.LvNames;
import io.openlocal.lvm.volume.Ownership;
import io.openlocal.lvm.volume.VolumeViews;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Shared LVM pools through the lvm2 tools.
 *
 * <p>Discovery reads one {@code lvm fullreport} (JSON, bytes, explicit columns) and keeps it for
 * {@code reportCacheTtlMillis}, so pools(), volumes(), snapshots() and look-ups of one pass cost one lvm process
 * whatever the number of LVs; every change forgets it. Changes run one lvm command each under a per-VG lock,
 * after a fresh report has been checked for idempotency, ownership and capacity.
 *
 * <p>Device-mapper is probed once when the backend is built ({@link DeviceMapper}). Without it LVs are created
 * inactive with metadata-only commands; thin pools, thin volumes and snapshots are refused with Unavailable
 * before any command runs (lvm2 would fail half-way and leave a stray LV behind).
 */
public final class LvmBackend implements Backend {

    private final LvmContext lvm;
    private final PoolViews poolViews;
    private final VolumeOperations volumeOperations;
    private final SnapshotOperations snapshotOperations;
    private final PoolInitializer poolInitializer;

    public LvmBackend(BackendContext context) {
        this(LvmSettings.from(context.settings()), context.runner(), context.progress());
    }

    public LvmBackend(LvmSettings settings, CommandRunner runner) {
        this(settings, runner, Progress.NONE);
    }

    /** @param progress where pool initialisation reports its steps */
    public LvmBackend(LvmSettings settings, CommandRunner runner, Progress progress) {
        DeviceMapper deviceMapper = DeviceMapper.probe(runner, settings.commandTimeout());
        LvmCli cli = new LvmCli(deviceMapper.present(), settings.commandTimeout());
        Ownership ownership = new Ownership(settings.lvNamePrefix(), settings.adoptUntaggedLvs());
        ReportCache reports = new ReportCache(() -> loadReport(runner, cli), settings.reportCacheTtl());
        this.lvm = new LvmContext(settings, runner, cli, reports, new VgLocks(), deviceMapper, ownership,
                new VolumeViews(ownership, deviceMapper.present()));
        this.poolViews = new PoolViews(ownership);
        this.volumeOperations = new VolumeOperations(lvm);
        this.snapshotOperations = new SnapshotOperations(lvm, volumeOperations);
        this.poolInitializer = new PoolInitializer(lvm, new DeviceProbe(runner, settings.commandTimeout()), poolViews,
                volumeOperations, progress);
    }

    private static FullReport loadReport(CommandRunner runner, LvmCli cli) {
        CommandResult result = runner.run(cli.fullReport());
        if (!result.succeeded()) {
            throw new StorageException.Unavailable("cannot list LVM objects: " + result.describe());
        }
        return FullReportParser.parse(result.stdout());
    }

    @Override
    public PoolType type() {
        return PoolType.LVM;
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> capabilities = EnumSet.of(Capability.EXPAND, Capability.STRIPED);
        if (lvm.deviceMapper().present()) {
            capabilities.add(Capability.THIN);
            capabilities.add(Capability.SNAPSHOT);
        }
        return capabilities;
    }

    @Override
    public Health health() {
        List<String> missing = lvm.deviceMapper().present() ? List.of() : List.of(DeviceMapper.FEATURE);
        try {
            CommandResult version = lvm.runner().run(lvm.cli().version());
            if (!version.succeeded()) {
                return new Health(false, "lvm2 does not run: " + version.describe(), missing);
            }
        } catch (StorageException e) {
            return new Health(false, "lvm2 does not run: " + e.getMessage(), missing);
        }
        String message = lvm.deviceMapper().present() ? "lvm2 ready"
                : "lvm2 ready for metadata only: " + lvm.deviceMapper().detail()
                + "; LVs are created inactive, thin pools and snapshots are unavailable";
        return new Health(true, message, missing);
    }

    @Override
    public List<PoolInfo> pools() {
        return lvm.reports().current().vgs().stream().map(poolViews::pool).toList();
    }

    @Override
    public Optional<PoolInfo> pool(String name) {
        return lvm.reports().current().vg(name).map(poolViews::pool);
    }

    @Override
    public PoolInfo initPool(PoolSpec spec) {
        return poolInitializer.init(spec);
    }

    /**
     * Every LV a user sees in the VG, owned or not: volumes, thin pools ({@code lvType=thin-pool}) and
     * snapshots (also listed by {@link #snapshots}). Hidden component LVs are not listed.
     */
    @Override
    public List<Volume> volumes(String pool) {
        VgReport vg = requireVg(pool);
        return vg.visibleLvs().stream().map(lv -> lvm.views().volume(vg.name(), lv)).toList();
    }

    @Override
    public Optional<Volume> volume(VolumeRef ref) {
        return find(ref).map(found -> lvm.views().volume(found.vg().name(), found.lv()));
    }

    @Override
    public Volume createVolume(VolumeSpec spec) {
        return volumeOperations.create(spec);
    }

    @Override
    public Volume expandVolume(VolumeRef ref, long newSizeBytes) {
        return volumeOperations.expand(ref, newSizeBytes);
    }

    @Override
    public void deleteVolume(VolumeRef ref) {
        volumeOperations.delete(ref);
    }

    @Override
    public Snapshot createSnapshot(SnapshotSpec spec) {
        return snapshotOperations.create(spec);
    }

    @Override
    public void deleteSnapshot(VolumeRef snapshot) {
        snapshotOperations.delete(snapshot);
    }

    @Override
    public Optional<CowSpace> cowSpace(VolumeRef snapshot) {
        return snapshotOperations.cowSpace(snapshot);
    }

    @Override
    public CowSpace growCowSpace(VolumeRef snapshot, long newSizeBytes) {
        return snapshotOperations.growCowSpace(snapshot, newSizeBytes);
    }

    @Override
    public List<Snapshot> snapshots(String pool) {
        VgReport vg = requireVg(pool);
        return vg.visibleLvs().stream().filter(lv -> lv.kind().isSnapshot())
                .map(lv -> lvm.views().snapshot(vg.name(), lv)).toList();
    }

    @Override
    public VolumeUsage usage(VolumeRef ref) {
        Found found = find(ref).orElseThrow(() -> new StorageException.NotFound("volume " + ref + " does not exist"));
        return lvm.views().usage(found.lv(), found.vg().extentSizeBytes());
    }

    /** Whether this backend can activate LVs here (false: metadata-only mode). */
    public boolean deviceMapperPresent() {
        return lvm.deviceMapper().present();
    }

    /** Forgets the cached report, so the next discovery call reads lvm2 again (after changes made outside). */
    public void refresh() {
        lvm.reports().invalidate();
    }

    private record Found(VgReport vg, LvReport lv) {
    }

    private Optional<Found> find(VolumeRef ref) {
        String vgName = VolumeOperations.requireRef(ref);
        // Look-ups accept any valid LV name: foreign LVs are reported, only changes need the prefix.
        String name = LvNames.requireLvName("name", ref.name());
        return lvm.reports().current().vg(vgName).flatMap(vg -> vg.lv(name).map(lv -> new Found(vg, lv)));
    }

    private VgReport requireVg(String pool) {
        String name = LvNames.requireVgName("pool", pool);
        return lvm.reports().current().vg(name).orElseThrow(() -> new StorageException.NotFound("pool: VG " + name
                + " does not exist"));
    }
}
