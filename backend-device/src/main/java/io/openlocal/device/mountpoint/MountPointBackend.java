package io.openlocal.device.mountpoint;

import io.openlocal.backend.Backend;
import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.BlockProbe;
import io.openlocal.backend.filesystem.DeviceNode;
import io.openlocal.backend.filesystem.DeviceUse;
import io.openlocal.backend.filesystem.FilesystemStats;
import io.openlocal.backend.filesystem.FormatOptions;
import io.openlocal.backend.filesystem.Formatter;
import io.openlocal.backend.filesystem.FsType;
import io.openlocal.backend.filesystem.MountEntry;
import io.openlocal.backend.filesystem.MountOptions;
import io.openlocal.backend.filesystem.MountTable;
import io.openlocal.backend.filesystem.Mounter;
import io.openlocal.backend.filesystem.SignatureWiper;
import io.openlocal.backend.naming.Names;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.progress.ProgressSteps;
import io.openlocal.backend.state.StateLock;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.backend.volume.VolumeUsage;
import io.openlocal.device.DeviceSettings;
import io.openlocal.device.claim.DeviceClaim;
import io.openlocal.device.claim.MountPointClaim;
import io.openlocal.device.claim.RecordStore;
import io.openlocal.device.discovery.DeviceIdentity;
import io.openlocal.device.discovery.IdentityReader;
import io.openlocal.device.selection.DeviceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Open-Local's {@code MountPoint} volumes: a volume is a whole mounted filesystem under the mount point root
 * ({@code mountpoint.root}, default {@code /mnt/open-local}), claimed for it alone.
 *
 * <ul>
 *   <li>Pools are the filesystems mounted under the root. {@link #initPool} makes one: it formats a blank
 *       device and mounts it at {@code <root>/<name>} (a non-blank device only with {@code force}, which wipes
 *       it first).</li>
 *   <li>A claim ({@link MountPointClaim}) takes a mount point that stores nothing (an empty ext
 *       {@code lost+found} aside) and is tied to the filesystem's UUID.</li>
 *   <li>Release deletes everything stored under the mount point, only after checking that the claimed
 *       filesystem is the one mounted there and that nothing else (a pod's bind mount) uses it; then the
 *       claim record goes.</li>
 * </ul>
 * Pool options for {@link #initPool}: {@code fsType} (ext4 default, ext3, ext2, xfs) and {@code mountOptions}
 * (comma-separated). Volume parameters: {@code mediaType}.
 */
public final class MountPointBackend implements Backend {

    static final int MAX_VOLUME_NAME_LENGTH = 128;
    public static final String OPTION_FS_TYPE = "fsType";
    public static final String OPTION_MOUNT_OPTIONS = "mountOptions";
    private static final Set<String> POOL_OPTIONS = Set.of(OPTION_FS_TYPE, OPTION_MOUNT_OPTIONS);

    private final DeviceSettings settings;
    private final CommandRunner runner;
    private final Path sysfsRoot;
    private final MountPointDiscovery discovery;
    private final IdentityReader identities;
    private final RecordStore<MountPointClaim> claims;
    private final RecordStore<PoolRecord> poolRecords;
    private final RecordStore<DeviceClaim> deviceClaims;
    private final StateLock lock;
    private final Progress progress;

    public MountPointBackend(DeviceSettings settings, CommandRunner runner, Path stateDir) {
        this(settings, runner, stateDir, Progress.NONE);
    }

    /** @param progress where pool initialisation (wipe, mkfs, mount) reports its steps */
    public MountPointBackend(DeviceSettings settings, CommandRunner runner, Path stateDir, Progress progress) {
        this(settings, runner, stateDir, Path.of("/sys"), progress);
    }

    MountPointBackend(DeviceSettings settings, CommandRunner runner, Path stateDir, Path sysfsRoot,
                      Progress progress) {
        this.settings = settings;
        this.runner = runner;
        this.sysfsRoot = sysfsRoot;
        this.progress = progress;
        this.discovery = new MountPointDiscovery(settings.mountPointRoot(), settings.mountPoints(),
                new FilesystemStats(runner, settings.commandTimeout()), sysfsRoot);
        this.identities = new IdentityReader(sysfsRoot);
        this.claims = new RecordStore<>(stateDir.resolve("mountpoint").resolve("claims"), MountPointClaim.class);
        this.poolRecords = new RecordStore<>(stateDir.resolve("mountpoint").resolve("pools"), PoolRecord.class);
        this.deviceClaims = new RecordStore<>(stateDir.resolve("device").resolve("claims"), DeviceClaim.class);
        this.lock = StateLock.of(stateDir);
    }

    @Override
    public PoolType type() {
        return PoolType.MOUNT_POINT;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.EXCLUSIVE);
    }

    @Override
    public Health health() {
        return io.openlocal.device.Tools.health(runner, settings.commandTimeout(), "MountPoint backend",
                List.of("mount", "umount", "blkid", "stat", "mkfs.ext4"), List.of("mkfs.xfs", "wipefs"));
    }

    // ---- pools -------------------------------------------------------------------------------------------------

    @Override
    public List<PoolInfo> pools() {
        MountTable table = MountTable.read();
        Map<String, MountPointClaim> byPath = new HashMap<>();
        for (MountPointClaim claim : claims.all()) {
            byPath.put(claim.path(), claim);
        }
        List<PoolInfo> pools = new ArrayList<>();
        for (DiscoveredMountPoint mp : discovery.scan(table)) {
            pools.add(toPool(mp, Optional.ofNullable(byPath.get(mp.path().toString()))));
        }
        return pools;
    }

    private PoolInfo toPool(DiscoveredMountPoint mp, Optional<MountPointClaim> claim) {
        MountEntry entry = mp.entry();
        List<String> reasons = new ArrayList<>();
        if (claim.isEmpty() && !mp.isEmpty()) {
            reasons.add("stores data: " + abbreviate(mp.contents()));
        }
        boolean free = claim.isEmpty() && mp.isEmpty() && !entry.readOnly();
        boolean foreign = claim.isEmpty() && !mp.isEmpty();
        long total = mp.usage().totalBytes();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("fsType", entry.fsType());
        attributes.put("source", entry.source());
        attributes.put("deviceNumber", entry.device().toString());
        attributes.put("fsAvailableBytes", Long.toString(mp.usage().availableBytes()));
        attributes.put("fsUsedBytes", Long.toString(mp.usage().usedBytes()));
        claim.ifPresent(c -> attributes.put("claimedBy", c.volumeName()));
        if (!reasons.isEmpty()) {
            attributes.put("reasons", String.join("; ", reasons));
        }
        List<String> devices = entry.source().startsWith("/dev/") ? List.of(entry.source()) : List.of();
        return new PoolInfo(mp.path().toString(), PoolType.MOUNT_POINT,
                new Capacity(total, foreign ? 0 : total, free ? total : 0), devices, mp.mediaType(), entry.readOnly(),
                !free, attributes);
    }

    /**
     * Formats a blank device and mounts it at {@code spec.name()}, a path under the root. Idempotent: when that
     * device is already mounted there with that filesystem, returns the pool; after a crash between format and
     * mount, the filesystem it made (known from its pool record) is mounted, not refused.
     *
     * @throws StorageException.InvalidArgument bad path, device or option; a non-blank device without force
     * @throws StorageException.AlreadyExists   something else is mounted at the path
     * @throws StorageException.Busy            the device is mounted elsewhere, held, or claimed by a Device volume
     */
    @Override
    public PoolInfo initPool(PoolSpec spec) {
        if (spec.type() != PoolType.MOUNT_POINT) {
            throw new StorageException.InvalidArgument("type: the MountPoint backend cannot initialise " + spec.type());
        }
        Path path = requirePoolPath("name", spec.name());
        if (spec.devices().size() != 1) {
            throw new StorageException.InvalidArgument("devices: a mount point is made from exactly one device, got "
                    + spec.devices().size());
        }
        String device = Names.requireDevicePath("devices[0]", spec.devices().getFirst());
        Set<String> unknown = new TreeSet<>(spec.options().keySet());
        unknown.removeAll(POOL_OPTIONS);
        if (!unknown.isEmpty()) {
            throw new StorageException.InvalidArgument("options: unknown " + unknown + " (known: "
                    + new TreeSet<>(POOL_OPTIONS) + ")");
        }
        FsType fsType = FsType.fromName("options." + OPTION_FS_TYPE,
                spec.options().getOrDefault(OPTION_FS_TYPE, FsType.EXT4.fsName()));
        List<String> mountOptions = MountOptions.parse("options." + OPTION_MOUNT_OPTIONS,
                spec.options().get(OPTION_MOUNT_OPTIONS));
        return lock.locked(() -> {
            try (ProgressSteps steps = ProgressSteps.begin(progress, "initialising mount point " + path)) {
                return initLocked(spec, path, device, fsType, mountOptions, steps);
            }
        });
    }

    private PoolInfo initLocked(PoolSpec spec, Path path, String device, FsType fsType, List<String> mountOptions,
                                ProgressSteps steps) {
        steps.note("checking " + device);
        BlockProbe probe = new BlockProbe(runner, settings.commandTimeout(), sysfsRoot, MountTable::read);
        DeviceNode node = probe.node("devices[0]", device);
        Optional<MountEntry> present = MountTable.read().mountAt(path);
        if (present.isPresent()) {
            MountEntry entry = present.get();
            if (!entry.device().equals(node.number())) {
                throw new StorageException.AlreadyExists("name: " + path + " already has " + entry.source()
                        + " (" + entry.fsType() + ") mounted, not " + device);
            }
            if (!entry.fsType().equals(fsType.fsName())) {
                throw new StorageException.AlreadyExists("name: " + path + " has " + device + " mounted as "
                        + entry.fsType() + ", not " + fsType.fsName());
            }
            return poolAt(path);
        }
        DeviceIdentity identity = identities.read(node.kernelName());
        for (DeviceClaim claim : deviceClaims.all()) {
            if (claim.identity().equals(identity)) {
                throw new StorageException.Busy("devices[0]: " + device + " is claimed by Device volume '"
                        + claim.volumeName() + "'");
            }
        }
        DeviceUse use = probe.inspect(node, probe.probe(node.path()));
        if (use.isActive()) {
            throw new StorageException.Busy("devices[0]: " + device + " " + String.join("; ", use.reasons()));
        }
        String key = PoolRecord.key(path.toString());
        Optional<PoolRecord> record = poolRecords.read(key);
        boolean ours = record.isPresent() && record.get().identity().equals(identity)
                && record.get().fsType().equals(fsType.fsName())
                && use.content().type().filter(fsType.fsName()::equals).isPresent()
                && use.content().ptType().isEmpty() && use.partitions().isEmpty();
        steps.plan(ours ? 1 : 2);
        if (!ours) {
            if (!use.isFree()) {
                if (!spec.force()) {
                    throw new StorageException.InvalidArgument("devices[0]: " + device + " "
                            + String.join("; ", use.reasons()) + "; it is left untouched (set force to wipe it)");
                }
                new SignatureWiper(runner, probe, settings.commandTimeout()).wipeAll(device, steps);
            }
            String options = String.join(",", mountOptions);
            poolRecords.write(key, new PoolRecord(PoolRecord.VERSION, path.toString(), device, identity,
                    fsType.fsName(), options, PoolRecord.FORMATTING, null));
            steps.step("mkfs." + fsType.fsName() + " " + device);
            new Formatter(runner, probe, settings.mkfsTimeout()).format(device, fsType, FormatOptions.none());
            String uuid = probe.probe(device).uuid().orElse(null);
            poolRecords.write(key, new PoolRecord(PoolRecord.VERSION, path.toString(), device, identity,
                    fsType.fsName(), options, PoolRecord.FORMATTED, uuid));
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new StorageException.Unavailable("name: cannot create " + path + ": " + e.getMessage(), e);
        }
        steps.step("mounting " + device + " at " + path);
        new Mounter(runner, settings.commandTimeout(), sysfsRoot, MountTable::read)
                .mount(device, path.toString(), fsType.fsName(), mountOptions, false);
        return poolAt(path);
    }

    private PoolInfo poolAt(Path path) {
        DiscoveredMountPoint mp = discovery.find(MountTable.read(), path).orElseThrow(() ->
                new StorageException.Internal("nothing is mounted at " + path + " right after mounting it"));
        Optional<MountPointClaim> claim = claims.all().stream().filter(c -> c.path().equals(path.toString())).findFirst();
        return toPool(mp, claim);
    }

    // ---- volumes -----------------------------------------------------------------------------------------------

    @Override
    public List<Volume> volumes(String pool) {
        Path path = requirePoolPath("pool", pool);
        List<Volume> volumes = new ArrayList<>();
        for (MountPointClaim claim : claims.all()) {
            if (claim.path().equals(path.toString())) {
                volumes.add(toVolume(claim, MountTable.read()));
            }
        }
        if (volumes.isEmpty() && MountTable.read().mountAt(path).isEmpty()) {
            throw new StorageException.NotFound("pool: nothing is mounted at " + path);
        }
        return volumes;
    }

    @Override
    public Optional<Volume> volume(VolumeRef ref) {
        checkRef(ref);
        return claimFor(ref).map(c -> toVolume(c, MountTable.read()));
    }

    /**
     * Claims the whole mount point {@code spec.pool()} for the volume. Its size is the filesystem's.
     *
     * @throws StorageException.NotFound        nothing is mounted at the path
     * @throws StorageException.InvalidArgument bad input; excluded, read-only, or storing data already
     * @throws StorageException.OutOfCapacity   the filesystem is smaller than the size asked
     * @throws StorageException.Busy            another volume has claimed it
     * @throws StorageException.AlreadyExists   the volume name has claimed another mount point
     */
    @Override
    public Volume createVolume(VolumeSpec spec) {
        String name = Names.requireObjectName("name", spec.name(), MAX_VOLUME_NAME_LENGTH);
        Path path = requirePoolPath("pool", spec.pool());
        long size = Sizes.requirePositive("sizeBytes", spec.sizeBytes());
        Optional<MediaType> mediaType = DeviceRequest.checkParameters(spec.parameters());
        if (spec.source().isPresent()) {
            throw new StorageException.Unsupported("MountPoint volumes cannot be created from a snapshot or volume");
        }
        return lock.locked(() -> {
            MountTable table = MountTable.read();
            Optional<MountPointClaim> existing = claims.read(name);
            if (existing.isPresent()) {
                MountPointClaim claim = existing.get();
                if (!claim.path().equals(path.toString())) {
                    throw new StorageException.AlreadyExists("name: volume '" + name + "' already claims mount point "
                            + claim.path() + ", not " + path);
                }
                if (size > claim.sizeBytes()) {
                    throw new StorageException.OutOfCapacity("sizeBytes: volume '" + name + "' is mount point " + path
                            + " of " + claim.sizeBytes() + " bytes, less than the " + size + " asked");
                }
                return toVolume(claim, table);
            }
            DiscoveredMountPoint mp = discovery.find(table, path).orElseThrow(() ->
                    new StorageException.NotFound("pool: nothing is mounted at " + path));
            if (!settings.mountPoints().accepts(path.toString())) {
                throw new StorageException.InvalidArgument("pool: " + path + " is excluded by the settings "
                        + DeviceSettings.MOUNTPOINT_INCLUDE + "/" + DeviceSettings.MOUNTPOINT_EXCLUDE);
            }
            for (MountPointClaim other : claims.all()) {
                if (other.path().equals(path.toString())) {
                    throw new StorageException.Busy("pool: mount point " + path + " is claimed by volume '"
                            + other.volumeName() + "'");
                }
            }
            if (mp.entry().readOnly()) {
                throw new StorageException.InvalidArgument("pool: mount point " + path + " is read-only");
            }
            if (!mp.isEmpty()) {
                throw new StorageException.InvalidArgument("pool: mount point " + path + " stores data this system "
                        + "did not put there (" + abbreviate(mp.contents()) + "); it is left untouched");
            }
            long total = mp.usage().totalBytes();
            if (size > total) {
                throw new StorageException.OutOfCapacity("sizeBytes: " + size + " bytes do not fit mount point " + path
                        + " of " + total + " bytes");
            }
            if (mediaType.isPresent() && mediaType.get() != mp.mediaType()) {
                throw new StorageException.InvalidArgument(DeviceRequest.MEDIA_TYPE + ": " + path + " is "
                        + mp.mediaType().label() + ", not " + mediaType.get().label());
            }
            MountPointClaim claim = new MountPointClaim(MountPointClaim.VERSION, name, path.toString(),
                    mp.entry().source(), mp.entry().fsType(), filesystemIdentity(mp.entry()), total, size,
                    System.currentTimeMillis());
            claims.write(name, claim);
            return toVolume(claim, table);
        });
    }

    /**
     * Deletes everything stored under the claimed mount point, then the claim. Absent volume: success.
     *
     * @throws StorageException.Busy        the filesystem is mounted elsewhere too (a pod), or has mounts inside
     * @throws StorageException.Unavailable the claimed filesystem is not mounted at the path: nothing is deleted
     */
    @Override
    public void deleteVolume(VolumeRef ref) {
        checkRef(ref);
        lock.locked(() -> {
            Optional<MountPointClaim> found = claimFor(ref);
            if (found.isEmpty()) {
                return;
            }
            MountPointClaim claim = found.get();
            Path path = Path.of(claim.path());
            MountTable table = MountTable.read();
            MountEntry entry = table.mountAt(path).orElseThrow(() -> new StorageException.Unavailable("volume '"
                    + ref.name() + "': nothing is mounted at " + path + "; its data is not deleted until the claimed "
                    + "filesystem is mounted there again"));
            DeviceIdentity now = filesystemIdentity(entry);
            if (!now.equals(claim.identity())) {
                throw new StorageException.Unavailable("volume '" + ref.name() + "': " + path + " now has "
                        + entry.source() + " (" + now + ") mounted, not the claimed filesystem (" + claim.identity()
                        + "); nothing is deleted");
            }
            List<String> others = new ArrayList<>();
            for (MountEntry other : table.entries()) {
                boolean sameFs = other.device().equals(entry.device()) && !other.target().equals(path);
                boolean inside = other.target().startsWith(path) && !other.target().equals(path);
                if (sameFs || inside) {
                    others.add(other.target().toString());
                }
            }
            if (!others.isEmpty()) {
                throw new StorageException.Busy("volume '" + ref.name() + "': the filesystem at " + path
                        + " is also mounted at " + others);
            }
            MountPointCleaner.removeContents(path, entry.device());
            claims.delete(ref.name());
        });
    }

    @Override
    public VolumeUsage usage(VolumeRef ref) {
        Volume volume = volume(ref).orElseThrow(() -> new StorageException.NotFound("volume " + ref + " does not exist"));
        return new VolumeUsage(volume.sizeBytes(), volume.sizeBytes());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** A path strictly under the root whose every segment is a plain name (no spaces, no leading '-'). */
    private Path requirePoolPath(String field, String value) {
        Path path = Names.requirePathUnder(field, value, settings.mountPointRoot(), false);
        for (Path segment : settings.mountPointRoot().relativize(path)) {
            Names.requireObjectName(field, segment.toString(), 255);
        }
        return path;
    }

    private void checkRef(VolumeRef ref) {
        if (ref.type() != PoolType.MOUNT_POINT) {
            throw new StorageException.InvalidArgument("type: the MountPoint backend cannot serve " + ref);
        }
        Names.requireObjectName("name", ref.name(), MAX_VOLUME_NAME_LENGTH);
        requirePoolPath("pool", ref.pool());
    }

    private Optional<MountPointClaim> claimFor(VolumeRef ref) {
        return claims.read(ref.name()).filter(c -> c.path().equals(ref.pool()));
    }

    /**
     * The mounted filesystem's UUID (low-level probe of its device), which survives reboots and renames. A
     * filesystem without a block device (tmpfs, a bind of a directory) falls back to a weak identity from the
     * mount itself.
     */
    private DeviceIdentity filesystemIdentity(MountEntry entry) {
        if (entry.source().startsWith("/dev/") && entry.root().equals("/")) {
            try {
                BlockProbe probe = new BlockProbe(runner, settings.commandTimeout(), sysfsRoot, MountTable::read);
                DeviceNode node = probe.node("source", entry.source());
                if (node.number().equals(entry.device())) {
                    Optional<String> uuid = probe.probe(node.path()).uuid();
                    if (uuid.isPresent()) {
                        return new DeviceIdentity("fs-uuid", uuid.get(), false);
                    }
                }
            } catch (StorageException.NotFound | StorageException.InvalidArgument e) {
                // Not a usable device node here: fall back to the mount's own facts.
            }
        }
        return new DeviceIdentity("mount", entry.fsType() + ":" + entry.source() + ":" + entry.root() + ":"
                + entry.device(), true);
    }

    private Volume toVolume(MountPointClaim claim, MountTable table) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("path", claim.path());
        attributes.put("fsType", String.valueOf(claim.fsType()));
        attributes.put("source", String.valueOf(claim.source()));
        attributes.put("identity", claim.identity().kind() + ":" + claim.identity().value());
        attributes.put("claimedAtMillis", Long.toString(claim.claimedAtMillis()));
        attributes.put("state", table.mountAt(Path.of(claim.path())).isPresent() ? "mounted" : "not-mounted");
        return new Volume(new VolumeRef(PoolType.MOUNT_POINT, claim.path(), claim.volumeName()), claim.sizeBytes(),
                Optional.empty(), true, attributes);
    }

    private static String abbreviate(List<String> names) {
        List<String> shown = names.size() > 5 ? names.subList(0, 5) : names;
        return String.join(", ", shown) + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }
}
