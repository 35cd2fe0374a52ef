package io.openlocal.backend.spdk;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.progress.ProgressSteps;
import io.openlocal.backend.spdk.export.NvmfExport;
import io.openlocal.backend.spdk.export.SpdkExports;
import io.openlocal.backend.spdk.node.NvmeTcpAttacher;
import io.openlocal.backend.spdk.rpc.SpdkRpcClient;
import io.openlocal.backend.spdk.state.PoolRecord;
import io.openlocal.backend.spdk.state.SnapshotRecord;
import io.openlocal.backend.spdk.state.SpdkStateStore;
import io.openlocal.backend.spdk.target.BdevInfo;
import io.openlocal.backend.spdk.target.LvolInfo;
import io.openlocal.backend.spdk.target.LvstoreInfo;
import io.openlocal.backend.spdk.target.SpdkTarget;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.backend.volume.VolumeUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SPDK pools (lvstores) and volumes (lvols) through the target's JSON-RPC socket.
 *
 * <p>A pool is an lvstore on one base device ({@link BaseDevice}); Open-Local owns the pools it created or
 * adopted (recorded in {@code <stateDir>/spdk/state.json}) and changes only those and their volumes; other
 * lvstores are reported, never changed. Sizes go to the target in MiB (bytes are converted once, rounding
 * up) and the target rounds lvols up to whole clusters; volumes report the size the target gives them and
 * capacity is counted in whole clusters. Volumes may be thick or thin ({@code thin=true}), cloned from a
 * snapshot or fully copied from another volume, expanded, snapshotted, inflated and made read-only.
 * Exports (NVMe-oF/TCP, vhost-user-blk) are in {@link #exports()}, the node side of NVMe-oF in
 * {@link #nodeAttacher()}.
 *
 * <p>After the target restarts, the first operation re-attaches the owned pools' devices and restores the
 * recorded exports before it runs ({@link #lastRecovery()} says what could not be restored).
 */
public final class SpdkBackend implements Backend {

    private static final long MiB = Sizes.MiB;
    private static final String PARAM_THIN = "thin";
    private static final String PARAM_CLEAR_METHOD = "clearMethod";
    private static final Set<String> CLEAR_METHODS = Set.of("none", "unmap", "write_zeroes");
    private static final String OPTION_CLUSTER_SIZE = "clusterSizeBytes";
    private static final String OPTION_AIO_BLOCK_SIZE = "aioBlockSize";

    private final SpdkContext ctx;
    private final SpdkExports exports;
    private final BaseDeviceAttacher attacher;
    private final Progress progress;

    public SpdkBackend(BackendContext context) {
        this.progress = context.progress();
        SpdkSettings settings = SpdkSettings.from(context.nodeName(), context.settings());
        SpdkRpcClient client = new SpdkRpcClient(settings.rpcSocket(), settings.callTimeout(),
                settings.connectTimeout());
        this.ctx = new SpdkContext(context.nodeName(), settings, client, new SpdkStateStore(context.stateDir()),
                context.runner());
        this.exports = new SpdkExports(ctx);
        this.attacher = new BaseDeviceAttacher(ctx.target);
        ctx.recovery(new Recovery(ctx, exports, attacher));
    }

    @Override
    public PoolType type() {
        return PoolType.SPDK;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.EXPAND, Capability.SNAPSHOT, Capability.CLONE, Capability.THIN, Capability.ATTACH);
    }

    @Override
    public Health health() {
        try {
            String version = ctx.target.version();
            RecoveryReport recovery = ctx.lastRecovery();
            if (recovery != null && !recovery.clean()) {
                return new Health(true, "SPDK target " + version + " at " + ctx.settings.rpcSocket()
                        + "; recovery left problems: " + recovery.problems(), List.of());
            }
            return Health.ok("SPDK target " + version + " at " + ctx.settings.rpcSocket());
        } catch (StorageException e) {
            return new Health(false, e.getMessage(), List.of("spdk_tgt at " + ctx.settings.rpcSocket()));
        }
    }

    public SpdkSettings settings() {
        return ctx.settings;
    }

    /** NVMe-oF/TCP and vhost-user-blk exports of this backend's volumes. */
    public SpdkExports exports() {
        return exports;
    }

    /** The node side of NVMe-oF/TCP: connects this node's kernel to an export and finds its block device. */
    public NvmeTcpAttacher nodeAttacher() {
        return new NvmeTcpAttacher(ctx.runner, ctx.settings.sysfsRoot(), ctx.settings.devRoot(),
                ctx.settings.hostNqn(), ctx.settings.attachTimeout());
    }

    /**
     * Exports the volume over NVMe-oF/TCP to this node's host NQN and connects the kernel's initiator to it:
     * containers on this node then use the namespace's block device like any other.
     */
    @Override
    public String attach(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        NvmfExport export = exports.exportNvmf(ref);
        return nodeAttacher().attach(export).toString();
    }

    /** Disconnects the initiator, then removes the export (in that order, so no I/O is cut mid-flight). */
    @Override
    public void detach(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        nodeAttacher().detach(exports.nqnOf(ref));
        exports.unexport(ref);
    }

    @Override
    public Optional<String> attachedDevice(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        Optional<String> uuid = volume(ref).map(v -> v.attributes().get("uuid"));
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        return nodeAttacher().findDevice(exports.nqnOf(ref), uuid.get()).map(Path::toString);
    }

    /** Runs a recovery pass now and returns what it found. */
    public RecoveryReport recover() {
        return ctx.recoverNow();
    }

    /** The last recovery pass's report (null before the first connection). */
    public RecoveryReport lastRecovery() {
        return ctx.lastRecovery();
    }

    // ---------------------------------------------------------------- pools

    @Override
    public List<PoolInfo> pools() {
        return ctx.guarded("listing pools", () -> {
            List<PoolInfo> list = new ArrayList<>();
            for (LvstoreInfo lvs : ctx.target.lvstores()) {
                list.add(poolInfo(lvs));
            }
            return list;
        });
    }

    @Override
    public Optional<PoolInfo> pool(String name) {
        SpdkNames.pool("pool", name);
        return ctx.guarded("looking up pool " + name, () -> ctx.target.lvstore(name).map(this::poolInfo));
    }

    private PoolInfo poolInfo(LvstoreInfo lvs) {
        PoolRecord record = ctx.store.get().pools().get(lvs.name());
        boolean owned = record != null && lvs.uuid().equals(record.lvstoreUuid());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("uuid", lvs.uuid());
        attributes.put("baseBdev", lvs.baseBdev());
        attributes.put("clusterSizeBytes", String.valueOf(lvs.clusterSize()));
        attributes.put("blockSizeBytes", String.valueOf(lvs.blockSize()));
        attributes.put("totalClusters", String.valueOf(lvs.totalDataClusters()));
        attributes.put("freeClusters", String.valueOf(lvs.freeClusters()));
        attributes.put("maxGrowableBytes", String.valueOf(lvs.maxGrowableSize()));
        attributes.put("owned", String.valueOf(owned));
        String device = record != null ? record.device() : "bdev:" + lvs.baseBdev();
        MediaType media = record != null && record.device().startsWith("nvme:") ? MediaType.SSD : MediaType.UNKNOWN;
        Capacity capacity = new Capacity(lvs.totalBytes(), owned ? lvs.totalBytes() : 0,
                Math.min(lvs.freeBytes(), lvs.totalBytes()));
        return new PoolInfo(lvs.name(), PoolType.SPDK, capacity, List.of(device), media, false, false, attributes);
    }

    /**
     * Creates an lvstore named {@code spec.name()} on the one device in {@code spec.devices()} (see
     * {@link BaseDevice} for the syntax), or adopts the lvstore of that name already on that device.
     * Options: {@code clusterSizeBytes} (power of two, default from the settings), {@code aioBlockSize}
     * (block size for an AIO bdev on a regular file; block devices are detected). A device holding a
     * filesystem, partition table or another lvstore is refused unless {@code force}; with force, another
     * lvstore on it is deleted. Whatever this call attached is detached again if it fails.
     */
    @Override
    public PoolInfo initPool(PoolSpec spec) {
        if (spec.type() != PoolType.SPDK) {
            throw new StorageException.InvalidArgument("pool type " + spec.type().volumeType() + " is not SPDK");
        }
        String pool = SpdkNames.newPool("pool name", spec.name());
        if (spec.devices().size() != 1) {
            throw new StorageException.InvalidArgument("pool " + pool + ": devices must hold exactly one entry "
                    + "(aio:<path> or nvme:<PCI address>), got " + spec.devices());
        }
        BaseDevice device = BaseDevice.parse("pool " + pool + " device", spec.devices().getFirst());
        Set<String> unknown = new java.util.TreeSet<>(spec.options().keySet());
        unknown.removeAll(Set.of(OPTION_CLUSTER_SIZE, OPTION_AIO_BLOCK_SIZE));
        if (!unknown.isEmpty()) {
            throw new StorageException.InvalidArgument("pool " + pool + ": unknown option(s) " + unknown
                    + " (known: " + OPTION_CLUSTER_SIZE + ", " + OPTION_AIO_BLOCK_SIZE + ")");
        }
        long clusterSize = spec.options().containsKey(OPTION_CLUSTER_SIZE)
                ? powerOfTwo(OPTION_CLUSTER_SIZE, spec.options().get(OPTION_CLUSTER_SIZE), 4096, 1L << 30)
                : ctx.settings.clusterSizeBytes();
        int aioBlockSize = aioBlockSize(device, spec.options().get(OPTION_AIO_BLOCK_SIZE));
        String bdevName = device.bdevName(pool);
        return ctx.guardedOnPool(pool, "initialising pool " + pool, () -> {
            try (ProgressSteps steps = ProgressSteps.begin(progress, "initialising lvstore " + pool)) {
                return initLocked(spec, pool, device, clusterSize, aioBlockSize, bdevName, steps);
            }
        });
    }

    /**
     * Progress: {@code checking <device>}, then {@code attaching <device> as bdev <name>} (unless attached by an
     * earlier attempt), {@code waiting for SPDK to examine bdev <name>}, {@code deleting lvstore <other>} (forced
     * only) and {@code creating lvstore <pool> on bdev <name>}.
     */
    private PoolInfo initLocked(PoolSpec spec, String pool, BaseDevice device, long clusterSize, int aioBlockSize,
                                String bdevName, ProgressSteps steps) {
        steps.note("checking " + device.spec());
        Optional<LvstoreInfo> existing = ctx.target.lvstore(pool);
        if (existing.isPresent()) {
            boolean sameDevice = existing.get().baseBdev().equals(bdevName) && ctx.target.bdev(bdevName)
                    .map(b -> !(device instanceof BaseDevice.Aio aio)
                            || b.aioFilename().filter(aio.path().toString()::equals).isPresent())
                    .orElse(false);
            if (!sameDevice) {
                throw new StorageException.AlreadyExists("pool " + pool + ": an lvstore of that name exists on bdev "
                        + existing.get().baseBdev() + ", not on " + device.spec());
            }
            return adopt(pool, device, bdevName, aioBlockSize, existing.get());
        }
        List<BdevInfo> bdevs = ctx.target.bdevs();
        attacher.attachedElsewhere(pool, device, bdevs).ifPresent(b -> {
            throw new StorageException.InvalidArgument("pool " + pool + ": " + device.spec()
                    + " is already attached to SPDK as bdev " + b.name());
        });
        boolean attachedHere = bdevs.stream().noneMatch(b -> b.name().equals(bdevName));
        if (attachedHere && !spec.force()) {
            refuseSignatures(pool, device);
        }
        steps.plan(attachedHere ? 3 : 2);
        if (attachedHere) {
            steps.step("attaching " + device.spec() + " as bdev " + bdevName);
            attacher.attach(pool, device, aioBlockSize);
        }
        try {
            steps.step("waiting for SPDK to examine bdev " + bdevName);
            ctx.target.waitForExamine();
            for (LvstoreInfo other : ctx.target.lvstores()) {
                if (other.baseBdev().equals(bdevName)) {
                    if (other.name().equals(pool)) {
                        return adopt(pool, device, bdevName, aioBlockSize, other);
                    }
                    if (!spec.force()) {
                        throw new StorageException.InvalidArgument("pool " + pool + ": " + device.spec()
                                + " holds the lvstore '" + other.name() + "'; use force to replace it");
                    }
                    steps.plan(1).step("deleting lvstore " + other.name());
                    ctx.target.deleteLvstore(other.name());
                }
            }
            steps.step("creating lvstore " + pool + " on bdev " + bdevName);
            String uuid = ctx.target.createLvstore(bdevName, pool, clusterSize);
            ctx.store.update(s -> s.withPools(m -> m.put(pool,
                    new PoolRecord(device.spec(), bdevName, uuid, aioBlockSize))));
        } catch (RuntimeException e) {
            if (attachedHere && !(e instanceof StorageException.Unavailable)) {
                attacher.detach(pool, device);
            }
            throw e;
        }
        return poolInfo(ctx.target.lvstore(pool).orElseThrow(() ->
                new StorageException.Internal("pool " + pool + " vanished right after it was created")));
    }

    private PoolInfo adopt(String pool, BaseDevice device, String bdevName, int aioBlockSize, LvstoreInfo lvs) {
        ctx.store.update(s -> s.withPools(m -> m.put(pool,
                new PoolRecord(device.spec(), bdevName, lvs.uuid(), aioBlockSize))));
        return poolInfo(lvs);
    }

    /** Block size for bdev_aio_create: given, or the setting for regular files, or 0 (detect) for devices. */
    private int aioBlockSize(BaseDevice device, String option) {
        if (!(device instanceof BaseDevice.Aio aio)) {
            if (option != null) {
                throw new StorageException.InvalidArgument(OPTION_AIO_BLOCK_SIZE + " applies to aio: devices only");
            }
            return 0;
        }
        if (option != null) {
            return (int) powerOfTwo(OPTION_AIO_BLOCK_SIZE, option, 512, 4096);
        }
        return Files.isRegularFile(aio.path()) ? ctx.settings.aioFileBlockSize() : 0;
    }

    private static long powerOfTwo(String key, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument(key + ": '" + text + "' is not a whole number");
        }
        if (value < min || value > max || Long.bitCount(value) != 1) {
            throw new StorageException.InvalidArgument(key + ": " + value + " must be a power of two in " + min + ".."
                    + max);
        }
        return value;
    }

    /** Refuses a file or block device that blkid finds a filesystem or partition table on. */
    private void refuseSignatures(String pool, BaseDevice device) {
        if (!(device instanceof BaseDevice.Aio aio) || !Files.exists(aio.path())) {
            return; // NVMe controllers bound to SPDK are invisible to the kernel; a missing path fails on attach
        }
        CommandResult result = ctx.runner.run(new Command(List.of("blkid", "-p", "-o", "export", aio.path().toString()),
                Duration.ofSeconds(30), Map.of()));
        if (result.exitCode() == 2) {
            return; // nothing found
        }
        if (result.exitCode() != 0) {
            throw result.failure();
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : result.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                found.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String what = found.containsKey("TYPE") ? "a " + found.get("TYPE") + " signature"
                : found.containsKey("PTTYPE") ? "a " + found.get("PTTYPE") + " partition table" : "a signature " + found;
        throw new StorageException.InvalidArgument("pool " + pool + ": " + device.spec() + " holds " + what
                + "; use force to overwrite it");
    }

    /** Deletes an owned pool: its exports, the lvstore with all its volumes, and the base bdev. Absent is success. */
    public void deletePool(String name) {
        String pool = SpdkNames.pool("pool", name);
        ctx.guardedOnPool(pool, "deleting pool " + pool, () -> {
            PoolRecord record = ctx.store.get().pools().get(pool);
            Optional<LvstoreInfo> lvs = ctx.target.lvstore(pool);
            if (record == null) {
                if (lvs.isPresent()) {
                    throw new StorageException.InvalidArgument("pool " + pool
                            + ": the lvstore was not made by Open-Local; it is left alone");
                }
                return null;
            }
            exports.unexportPoolLocked(pool);
            if (lvs.isPresent()) {
                ctx.target.deleteLvstore(pool);
            }
            attacher.detach(pool, BaseDevice.parse("pool " + pool + " device", record.device()));
            ctx.store.update(s -> s.withPools(m -> m.remove(pool))
                    .withSnapshots(m -> m.values().removeIf(r -> r.pool().equals(pool))));
            return null;
        });
    }

    /** Grows an owned pool to its device's current size (after the device or file grew). */
    public PoolInfo growPool(String name) {
        String pool = SpdkNames.pool("pool", name);
        return ctx.guardedOnPool(pool, "growing pool " + pool, () -> {
            ctx.requireOwnedPool(pool);
            PoolRecord record = ctx.store.get().pools().get(pool);
            if (BaseDevice.parse("pool " + pool + " device", record.device()) instanceof BaseDevice.Aio) {
                ctx.target.aioRescan(record.bdevName());
            }
            ctx.target.growLvstore(pool);
            return poolInfo(ctx.target.lvstore(pool).orElseThrow(() ->
                    new StorageException.NotFound("pool " + pool + " vanished while growing")));
        });
    }

    private LvstoreInfo lvstore(String pool) {
        return ctx.target.lvstore(pool).orElseThrow(() -> new StorageException.NotFound("pool " + pool
                + ": no such SPDK lvstore"));
    }

    // ---------------------------------------------------------------- volumes

    @Override
    public List<Volume> volumes(String poolName) {
        String pool = SpdkNames.pool("pool", poolName);
        return ctx.guarded("listing volumes of " + pool, () -> {
            LvstoreInfo lvs = lvstore(pool);
            Map<String, BdevInfo> byUuid = bdevsByName();
            List<Volume> list = new ArrayList<>();
            for (LvolInfo lvol : ctx.target.lvols(pool)) {
                BdevInfo bdev = byUuid.get(lvol.uuid());
                if (!lvol.snapshot() && bdev != null) {
                    list.add(toVolume(new VolumeRef(PoolType.SPDK, pool, lvol.name()), bdev, lvs));
                }
            }
            return list;
        });
    }

    private Map<String, BdevInfo> bdevsByName() {
        Map<String, BdevInfo> map = new HashMap<>();
        ctx.target.bdevs().forEach(b -> map.put(b.name(), b));
        return map;
    }

    @Override
    public Optional<Volume> volume(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        return ctx.guarded("looking up " + ref, () -> findVolume(ref));
    }

    private Optional<Volume> findVolume(VolumeRef ref) {
        Optional<LvstoreInfo> lvs = ctx.target.lvstore(ref.pool());
        if (lvs.isEmpty()) {
            return Optional.empty();
        }
        return ctx.target.bdev(SpdkNames.alias(ref))
                .filter(b -> b.lvol().isPresent() && !b.lvol().get().snapshot())
                .map(b -> toVolume(ref, b, lvs.get()));
    }

    private Volume toVolume(VolumeRef ref, BdevInfo bdev, LvstoreInfo lvs) {
        BdevInfo.LvolFacts lvol = bdev.lvol().orElseThrow();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("uuid", bdev.uuid());
        attributes.put("thin", String.valueOf(lvol.thin()));
        attributes.put("clone", String.valueOf(lvol.isClone()));
        lvol.baseSnapshot().ifPresent(s -> attributes.put("baseSnapshot", s));
        attributes.put("readOnly", String.valueOf(!bdev.writable()));
        attributes.put("allocatedBytes", String.valueOf(lvol.allocatedClusters() * lvs.clusterSize()));
        attributes.put("clusterSizeBytes", String.valueOf(lvs.clusterSize()));
        attributes.put("lvstoreUuid", lvs.uuid());
        boolean owned = ctx.owns(ref.pool());
        return new Volume(ref, bdev.sizeBytes(), Optional.empty(), owned, attributes);
    }

    private record Layout(boolean thin, String clearMethod) {
    }

    private static Layout layout(Map<String, String> parameters) {
        Set<String> unknown = new java.util.TreeSet<>(parameters.keySet());
        unknown.removeAll(Set.of(PARAM_THIN, PARAM_CLEAR_METHOD));
        if (!unknown.isEmpty()) {
            throw new StorageException.InvalidArgument("SPDK volume parameters: unknown key(s) " + unknown
                    + " (known: " + PARAM_THIN + ", " + PARAM_CLEAR_METHOD + ")");
        }
        String thin = parameters.getOrDefault(PARAM_THIN, "false");
        if (!thin.equals("true") && !thin.equals("false")) {
            throw new StorageException.InvalidArgument(PARAM_THIN + ": '" + thin + "' must be true or false");
        }
        String clear = parameters.get(PARAM_CLEAR_METHOD);
        if (clear != null && !CLEAR_METHODS.contains(clear)) {
            throw new StorageException.InvalidArgument(PARAM_CLEAR_METHOD + ": '" + clear + "' must be one of "
                    + CLEAR_METHODS);
        }
        return new Layout(Boolean.parseBoolean(thin), clear);
    }

    /** The size an lvol of {@code bytes} gets: whole MiB (what the target takes), then whole clusters. */
    static long roundedBytes(long bytes, long clusterSize) {
        long mib = Sizes.toMiBRoundingUp(bytes);
        long clusters;
        try {
            clusters = Math.ceilDiv(Math.multiplyExact(mib, MiB), clusterSize);
            return Math.multiplyExact(clusters, clusterSize);
        } catch (ArithmeticException e) {
            throw new StorageException.InvalidArgument("size: " + bytes + " bytes is too large");
        }
    }

    @Override
    public Volume createVolume(VolumeSpec spec) {
        String pool = SpdkNames.pool("pool", spec.pool());
        String name = SpdkNames.volume("volume name", spec.name());
        Sizes.requirePositive("size", spec.sizeBytes());
        Layout layout = layout(spec.parameters());
        long sizeMiB = Sizes.toMiBRoundingUp(spec.sizeBytes());
        VolumeRef ref = new VolumeRef(PoolType.SPDK, pool, name);
        Optional<VolumeRef> source = spec.source().map(s -> SpdkNames.ref("source", s));
        source.ifPresent(s -> {
            if (!s.pool().equals(pool)) {
                throw new StorageException.InvalidArgument("source " + s + ": a copy must be in its source's pool ("
                        + s.pool() + "), not in " + pool);
            }
            if (s.name().equals(name)) {
                throw new StorageException.InvalidArgument("source " + s + ": a volume cannot be its own source");
            }
        });
        return ctx.guardedOnPool(pool, "creating " + ref, () -> {
            ctx.requireOwnedPool(pool);
            LvstoreInfo lvs = lvstore(pool);
            long rounded = roundedBytes(spec.sizeBytes(), lvs.clusterSize());
            Optional<BdevInfo> existing = ctx.target.bdev(SpdkNames.alias(ref));
            if (existing.isPresent()) {
                return matchExisting(ref, existing.get(), rounded, layout, source, lvs);
            }
            if (source.isPresent()) {
                return copyOf(ref, source.get(), sizeMiB, rounded, layout, lvs);
            }
            long clusters = rounded / lvs.clusterSize();
            if (!layout.thin() && clusters > lvs.freeClusters()) {
                throw new StorageException.OutOfCapacity("pool " + pool + ": " + ref + " needs " + clusters
                        + " clusters of " + Sizes.human(lvs.clusterSize()) + " (" + Sizes.human(rounded) + "), "
                        + lvs.freeClusters() + " are free");
            }
            try {
                ctx.target.createLvol(pool, name, sizeMiB, layout.thin(), layout.clearMethod());
            } catch (StorageException.AlreadyExists e) {
                // Created by a request that raced this one: judge it like any existing volume.
                return matchExisting(ref, ctx.target.bdev(SpdkNames.alias(ref)).orElseThrow(() -> e), rounded,
                        layout, source, lvs);
            }
            return fetch(ref, lvs);
        });
    }

    private Volume fetch(VolumeRef ref, LvstoreInfo lvs) {
        BdevInfo bdev = ctx.target.bdev(SpdkNames.alias(ref)).orElseThrow(() ->
                new StorageException.Internal(ref + " was created but the target does not list it"));
        return toVolume(ref, bdev, lvs);
    }

    private Volume matchExisting(VolumeRef ref, BdevInfo bdev, long rounded, Layout layout, Optional<VolumeRef> source,
                                 LvstoreInfo lvs) {
        BdevInfo.LvolFacts lvol = bdev.lvol().orElseThrow(() ->
                new StorageException.AlreadyExists(ref + ": a bdev of that name exists and is not an lvol"));
        if (lvol.snapshot()) {
            throw new StorageException.AlreadyExists(ref + ": a snapshot of that name exists");
        }
        if (bdev.sizeBytes() != rounded) {
            throw new StorageException.AlreadyExists(ref + " exists with size " + bdev.sizeBytes() + " bytes, not the "
                    + rounded + " bytes asked for");
        }
        if (!lvol.isClone() && lvol.thin() != layout.thin() && source.isEmpty()) {
            throw new StorageException.AlreadyExists(ref + " exists as a " + (lvol.thin() ? "thin" : "thick")
                    + " volume, not " + (layout.thin() ? "thin" : "thick"));
        }
        if (source.isPresent() && lvol.isClone() && lvol.baseSnapshot().filter(source.get().name()::equals).isEmpty()) {
            throw new StorageException.AlreadyExists(ref + " exists as a clone of " + lvol.baseSnapshot().orElse("?")
                    + ", not of " + source.get().name());
        }
        return toVolume(ref, bdev, lvs);
    }

    /**
     * A volume made from a source: a snapshot is cloned (thin, or inflated when {@code thin=false}); a volume is
     * copied in full through a temporary snapshot that is deleted again (the copy is inflated first, so it
     * depends on nothing). Resized up when more was asked than the source holds; smaller is refused. Nothing
     * is left behind when a step fails.
     */
    private Volume copyOf(VolumeRef ref, VolumeRef sourceRef, long sizeMiB, long rounded, Layout layout,
                          LvstoreInfo lvs) {
        BdevInfo source = ctx.target.bdev(SpdkNames.alias(sourceRef)).filter(b -> b.lvol().isPresent())
                .orElseThrow(() -> new StorageException.NotFound("source " + sourceRef + " does not exist"));
        if (rounded < source.sizeBytes()) {
            throw new StorageException.InvalidArgument(ref + ": " + rounded + " bytes is smaller than the source "
                    + sourceRef + " (" + source.sizeBytes() + " bytes)");
        }
        String alias = SpdkNames.alias(ref);
        if (source.lvol().get().snapshot()) {
            if (!layout.thin()) {
                requireFree(ref, rounded / lvs.clusterSize(), lvs);
            }
            ctx.target.cloneLvol(SpdkNames.alias(sourceRef), ref.name());
            try {
                if (rounded > source.sizeBytes()) {
                    ctx.target.resizeLvol(alias, sizeMiB);
                }
                if (!layout.thin()) {
                    ctx.target.inflate(alias);
                }
            } catch (RuntimeException e) {
                deleteQuietly(alias, e);
                throw e;
            }
            return fetch(ref, lvs);
        }
        requireFree(ref, rounded / lvs.clusterSize(), lvs);
        boolean sourceWasThick = !source.lvol().get().thin();
        String temp = temporarySnapshotName(ref.name());
        String tempAlias = SpdkNames.alias(ref.pool(), temp);
        if (ctx.target.bdev(tempAlias).isEmpty()) {
            ctx.target.snapshot(SpdkNames.alias(sourceRef), temp);
        }
        try {
            ctx.target.cloneLvol(tempAlias, ref.name());
            try {
                if (rounded > source.sizeBytes()) {
                    ctx.target.resizeLvol(alias, sizeMiB);
                }
                ctx.target.inflate(alias);
            } catch (RuntimeException e) {
                deleteQuietly(alias, e);
                throw e;
            }
        } finally {
            // The source is the snapshot's only clone now: deleting it hands its clusters back to the source.
            ctx.target.deleteLvol(tempAlias);
            if (sourceWasThick) {
                ctx.target.inflate(SpdkNames.alias(sourceRef)); // the source was thick before: make it so again
            }
        }
        return fetch(ref, lvs);
    }

    private static void requireFree(VolumeRef ref, long clusters, LvstoreInfo lvs) {
        if (clusters > lvs.freeClusters()) {
            throw new StorageException.OutOfCapacity("pool " + ref.pool() + ": " + ref + " needs " + clusters
                    + " clusters, " + lvs.freeClusters() + " are free");
        }
    }

    private void deleteQuietly(String alias, RuntimeException cause) {
        try {
            ctx.target.deleteLvol(alias);
        } catch (StorageException e) {
            cause.addSuppressed(e);
        }
    }

    /** The temporary snapshot used to copy a volume into {@code target}: recognisable and unique per target. */
    static String temporarySnapshotName(String target) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
            return "ol-copy-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Grows a volume; the target's rounding to clusters applies. Shrinking is refused. */
    @Override
    public Volume expandVolume(VolumeRef ref, long newSizeBytes) {
        SpdkNames.ref("volume", ref);
        Sizes.requirePositive("newSize", newSizeBytes);
        long sizeMiB = Sizes.toMiBRoundingUp(newSizeBytes);
        return ctx.guardedOnPool(ref.pool(), "expanding " + ref, () -> {
            BdevInfo bdev = ctx.requireOwnedVolume(ref);
            LvstoreInfo lvs = lvstore(ref.pool());
            long rounded = roundedBytes(newSizeBytes, lvs.clusterSize());
            if (rounded < bdev.sizeBytes()) {
                throw new StorageException.InvalidArgument(ref + ": shrinking from " + bdev.sizeBytes() + " to "
                        + rounded + " bytes is not supported");
            }
            if (rounded == bdev.sizeBytes()) {
                return toVolume(ref, bdev, lvs);
            }
            if (!bdev.writable()) {
                throw new StorageException.InvalidArgument(ref + " is read-only and cannot be resized");
            }
            long extra = (rounded - bdev.sizeBytes()) / lvs.clusterSize();
            if (!bdev.lvol().get().thin()) {
                requireFree(ref, extra, lvs);
            }
            ctx.target.resizeLvol(SpdkNames.alias(ref), sizeMiB);
            return fetch(ref, lvs);
        });
    }

    /** Deletes an owned volume and its exports; absent is success. */
    @Override
    public void deleteVolume(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        ctx.guardedOnPool(ref.pool(), "deleting " + ref, () -> {
            Optional<LvstoreInfo> lvs = ctx.target.lvstore(ref.pool());
            if (lvs.isEmpty()) {
                return null;
            }
            ctx.requireOwnedPool(ref.pool());
            Optional<BdevInfo> bdev = ctx.target.bdev(SpdkNames.alias(ref));
            if (bdev.isEmpty()) {
                exports.unexportLocked(ref);
                return null;
            }
            if (bdev.get().lvol().map(BdevInfo.LvolFacts::snapshot).orElse(false)) {
                throw new StorageException.InvalidArgument(ref + " is a snapshot; delete it as a snapshot");
            }
            exports.unexportLocked(ref);
            try {
                ctx.target.deleteLvol(SpdkNames.alias(ref));
            } catch (StorageException.NotFound e) {
                // Deleted meanwhile.
            }
            return null;
        });
    }

    @Override
    public VolumeUsage usage(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        return ctx.guarded("usage of " + ref, () -> {
            LvstoreInfo lvs = lvstore(ref.pool());
            BdevInfo bdev = ctx.target.bdev(SpdkNames.alias(ref)).filter(b -> b.lvol().isPresent())
                    .orElseThrow(() -> new StorageException.NotFound("volume " + ref + " does not exist"));
            return new VolumeUsage(bdev.sizeBytes(), bdev.lvol().get().allocatedClusters() * lvs.clusterSize());
        });
    }

    /** Allocates every cluster of a thin volume or clone, so it no longer depends on a snapshot. */
    public Volume inflate(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        return ctx.guardedOnPool(ref.pool(), "inflating " + ref, () -> {
            BdevInfo bdev = ctx.requireOwnedVolume(ref);
            LvstoreInfo lvs = lvstore(ref.pool());
            long needed = bdev.numBlocks() * bdev.blockSize() / lvs.clusterSize() - bdev.lvol().get().allocatedClusters();
            if (bdev.lvol().get().thin()) {
                requireFree(ref, needed, lvs);
            }
            ctx.target.inflate(SpdkNames.alias(ref));
            return fetch(ref, lvs);
        });
    }

    /** Makes a volume read-only (for good: the target has no way back). */
    public Volume setReadOnly(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        return ctx.guardedOnPool(ref.pool(), "making " + ref + " read-only", () -> {
            ctx.requireOwnedVolume(ref);
            ctx.target.setReadOnly(SpdkNames.alias(ref));
            return fetch(ref, lvstore(ref.pool()));
        });
    }

    // ---------------------------------------------------------------- snapshots

    @Override
    public Snapshot createSnapshot(SnapshotSpec spec) {
        VolumeRef source = SpdkNames.ref("source", spec.source());
        String name = SpdkNames.volume("snapshot name", spec.name());
        if (spec.sizeBytes() < 0) {
            throw new StorageException.InvalidArgument("snapshot size: must not be negative");
        }
        if (!spec.parameters().isEmpty()) {
            throw new StorageException.InvalidArgument("SPDK snapshot parameters: unknown key(s) "
                    + spec.parameters().keySet() + " (SPDK snapshots take none)");
        }
        VolumeRef ref = new VolumeRef(PoolType.SPDK, source.pool(), name);
        return ctx.guardedOnPool(source.pool(), "snapshotting " + source, () -> {
            ctx.requireOwnedPool(source.pool());
            Optional<BdevInfo> existing = ctx.target.bdev(SpdkNames.alias(ref));
            SnapshotRecord record = ctx.store.get().snapshots().get(source.pool() + "/" + name);
            if (existing.isPresent()) {
                BdevInfo.LvolFacts facts = existing.get().lvol().orElse(null);
                boolean same = facts != null && facts.snapshot() && (record != null
                        ? record.source().equals(source.name()) : facts.clones().contains(source.name()));
                if (!same) {
                    throw new StorageException.AlreadyExists(ref + " exists and is not a snapshot of " + source);
                }
                return toSnapshot(ref, existing.get());
            }
            BdevInfo sourceBdev = ctx.requireOwnedVolume(source);
            if (!sourceBdev.writable()) {
                throw new StorageException.InvalidArgument(source + " is read-only; the target cannot snapshot it");
            }
            SnapshotRecord created = new SnapshotRecord(source.pool(), name, source.name(), System.currentTimeMillis());
            ctx.target.snapshot(SpdkNames.alias(source), name);
            ctx.store.update(s -> s.withSnapshots(m -> m.put(created.key(), created)));
            return toSnapshot(ref, ctx.target.bdev(SpdkNames.alias(ref)).orElseThrow(() ->
                    new StorageException.Internal(ref + " was created but the target does not list it")));
        });
    }

    private Snapshot toSnapshot(VolumeRef ref, BdevInfo bdev) {
        SnapshotRecord record = ctx.store.get().snapshots().get(ref.pool() + "/" + ref.name());
        String source = record != null ? record.source()
                : bdev.lvol().flatMap(l -> l.clones().stream().findFirst()).orElse(ref.name());
        return new Snapshot(ref, new VolumeRef(PoolType.SPDK, ref.pool(), source), bdev.sizeBytes(),
                record != null ? record.createdEpochMillis() : 0, true);
    }

    /** Deletes a snapshot; absent is success; one with two or more clones is Busy (the target refuses). */
    @Override
    public void deleteSnapshot(VolumeRef snapshot) {
        VolumeRef ref = SpdkNames.ref("snapshot", snapshot);
        ctx.guardedOnPool(ref.pool(), "deleting snapshot " + ref, () -> {
            if (ctx.target.lvstore(ref.pool()).isEmpty()) {
                return null;
            }
            ctx.requireOwnedPool(ref.pool());
            Optional<BdevInfo> bdev = ctx.target.bdev(SpdkNames.alias(ref));
            if (bdev.isPresent()) {
                BdevInfo.LvolFacts facts = bdev.get().lvol().orElseThrow(() ->
                        new StorageException.InvalidArgument(ref + " is not an lvol"));
                if (!facts.snapshot()) {
                    throw new StorageException.InvalidArgument(ref + " is a volume, not a snapshot");
                }
                if (facts.clones().size() > 1) {
                    throw new StorageException.Busy("snapshot " + ref + " has clones " + facts.clones()
                            + "; the target deletes a snapshot with at most one clone");
                }
                try {
                    ctx.target.deleteLvol(SpdkNames.alias(ref));
                } catch (StorageException.NotFound e) {
                    // Deleted meanwhile.
                }
            }
            ctx.store.update(s -> s.withSnapshots(m -> m.remove(ref.pool() + "/" + ref.name())));
            return null;
        });
    }

    @Override
    public List<Snapshot> snapshots(String poolName) {
        String pool = SpdkNames.pool("pool", poolName);
        return ctx.guarded("listing snapshots of " + pool, () -> {
            lvstore(pool);
            Map<String, BdevInfo> byName = bdevsByName();
            List<Snapshot> list = new ArrayList<>();
            for (LvolInfo lvol : ctx.target.lvols(pool)) {
                BdevInfo bdev = byName.get(lvol.uuid());
                if (lvol.snapshot() && bdev != null && !lvol.name().startsWith("ol-copy-")) {
                    list.add(toSnapshot(new VolumeRef(PoolType.SPDK, pool, lvol.name()), bdev));
                }
            }
            return list;
        });
    }

    /** The target interface, for SPDK-specific callers and tests. */
    public SpdkTarget target() {
        return ctx.target;
    }

    @Override
    public void close() {
        ctx.client.close();
    }
}
