package io.openlocal.device;

import io.openlocal.backend.Backend;
import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.BlockProbe;
import io.openlocal.backend.filesystem.DeviceUse;
import io.openlocal.backend.filesystem.MountTable;
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
import io.openlocal.device.claim.ClaimedDevice;
import io.openlocal.device.claim.DeviceClaim;
import io.openlocal.device.claim.RecordStore;
import io.openlocal.device.discovery.DeviceDiscovery;
import io.openlocal.device.discovery.DeviceIdentity;
import io.openlocal.device.discovery.DiscoveredDevice;
import io.openlocal.device.discovery.IdentityReader;
import io.openlocal.device.discovery.LsblkDevice;
import io.openlocal.device.selection.DeviceRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Open-Local's {@code Device} volumes: a volume is a whole disk, claimed for it alone.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A disk may be claimed when it passes the {@code device.include}/{@code device.exclude} settings, takes
 *       writes, and is blank: no signature, partition, holder or mount. Anything else is data this system did
 *       not put there; claiming it is refused with InvalidArgument and it is never wiped.</li>
 *   <li>A claim is a record file ({@link DeviceClaim}) tied to the disk's {@link DeviceIdentity}, written
 *       atomically before the volume is reported. A restarted backend reads the records again.</li>
 *   <li>Volume names are unique among claims: the same name again on the same disk returns the volume; the same
 *       name on another disk is AlreadyExists. A disk claimed by another volume is <b>Busy</b> (the disk is in
 *       use; nothing about the request itself is wrong).</li>
 *   <li>Release wipes every signature of a claimed disk ({@code wipefs --all}), then deletes the record; a crash
 *       between the two leaves the claim, and the retry wipes again and finishes. A mounted disk is Busy.</li>
 * </ul>
 */
public final class DeviceBackend implements Backend {

    static final int MAX_VOLUME_NAME_LENGTH = 128;

    private final DeviceSettings settings;
    private final CommandRunner runner;
    private final Path sysfsRoot;
    private final DeviceDiscovery discovery;
    private final IdentityReader identities;
    private final RecordStore<DeviceClaim> claims;
    private final StateLock lock;
    private final Progress progress;

    public DeviceBackend(DeviceSettings settings, CommandRunner runner, Path stateDir) {
        this(settings, runner, stateDir, Progress.NONE);
    }

    /** @param progress where releasing a volume (the disk's wipe) reports its steps */
    public DeviceBackend(DeviceSettings settings, CommandRunner runner, Path stateDir, Progress progress) {
        this(settings, runner, stateDir, Path.of("/sys"), progress);
    }

    DeviceBackend(DeviceSettings settings, CommandRunner runner, Path stateDir, Path sysfsRoot, Progress progress) {
        this.settings = settings;
        this.runner = runner;
        this.sysfsRoot = sysfsRoot;
        this.progress = progress;
        this.discovery = new DeviceDiscovery(runner, settings.commandTimeout(), sysfsRoot);
        this.identities = new IdentityReader(sysfsRoot);
        this.claims = new RecordStore<>(stateDir.resolve("device").resolve("claims"), DeviceClaim.class);
        this.lock = StateLock.of(stateDir);
    }

    @Override
    public PoolType type() {
        return PoolType.DEVICE;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.EXCLUSIVE);
    }

    @Override
    public Health health() {
        return Tools.health(runner, settings.commandTimeout(), "Device backend", List.of("lsblk", "blkid", "wipefs"));
    }

    // ---- discovery ---------------------------------------------------------------------------------------------

    /**
     * Every disk that passes the device filter, and every disk claimed by a volume whether it passes or not.
     * Pool name = device path; available = size when free, else 0; allocatable = 0 for disks holding data
     * that is not ours.
     */
    @Override
    public List<PoolInfo> pools() {
        Map<DeviceIdentity, DeviceClaim> byIdentity = claimsByIdentity();
        List<DiscoveredDevice> pass = discovery.scan(d -> wanted(d, byIdentity));
        List<PoolInfo> pools = new ArrayList<>();
        for (DiscoveredDevice device : pass) {
            pools.add(toPool(device, Optional.ofNullable(byIdentity.get(device.identity()))));
        }
        return pools;
    }

    private boolean wanted(LsblkDevice device, Map<DeviceIdentity, DeviceClaim> claimed) {
        return settings.devices().accepts(device.kernelName(), device.path())
                || (!claimed.isEmpty()
                && claimed.containsKey(identities.read(device.kernelName(), device.sizeBytes())));
    }

    private PoolInfo toPool(DiscoveredDevice device, Optional<DeviceClaim> claim) {
        boolean free = claim.isEmpty() && device.isFree();
        boolean foreign = claim.isEmpty() && !free;
        long size = device.sizeBytes();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kernelName", device.kernelName());
        attributes.put("deviceNumber", device.use().node().number().toString());
        attributes.put("deviceType", String.valueOf(device.lsblk().type()));
        attributes.put("identity", device.identity().kind() + ":" + device.identity().value());
        if (device.identity().weak()) {
            attributes.put("identityWeak", "true");
        }
        claim.ifPresent(c -> attributes.put("claimedBy", c.volumeName()));
        device.use().content().type().ifPresent(t -> attributes.put("fsType", t));
        device.use().content().ptType().ifPresent(t -> attributes.put("ptType", t));
        if (!device.reasons().isEmpty()) {
            attributes.put("reasons", String.join("; ", device.reasons()));
        }
        if (!settings.devices().accepts(device.kernelName(), device.path())) {
            attributes.put("filtered", "excluded by settings; reported because it is claimed");
        }
        return new PoolInfo(device.path(), PoolType.DEVICE,
                new Capacity(size, foreign ? 0 : size, free ? size : 0),
                List.of(device.path()), device.mediaType(), device.readOnly(), !free, attributes);
    }

    @Override
    public PoolInfo initPool(PoolSpec spec) {
        throw new StorageException.Unsupported("Device pools are whole disks found by discovery; there is nothing "
                + "to initialise (pool " + spec.name() + ")");
    }

    // ---- volumes -----------------------------------------------------------------------------------------------

    @Override
    public List<Volume> volumes(String pool) {
        Names.requireDevicePath("pool", pool);
        List<Volume> volumes = new ArrayList<>();
        for (DeviceClaim claim : claims.all()) {
            if (claim.devicePath().equals(pool)) {
                volumes.add(toVolume(locate(claim)));
            }
        }
        if (volumes.isEmpty()) {
            discovery.find("pool", pool);
        }
        return volumes;
    }

    @Override
    public Optional<Volume> volume(VolumeRef ref) {
        checkRef(ref);
        return claimFor(ref).map(c -> toVolume(locate(c)));
    }

    /**
     * Claims the whole disk {@code spec.pool()} for the volume {@code spec.name()}. The volume's size is the
     * disk's. Parameters: {@code mediaType} (hdd/ssd), which the disk must match.
     *
     * @throws StorageException.InvalidArgument bad name, path, size or parameter; a partition or excluded disk;
     *                                          a read-only disk; a disk holding anything (never touched)
     * @throws StorageException.NotFound        no such disk
     * @throws StorageException.OutOfCapacity   the disk is smaller than the size asked
     * @throws StorageException.Busy            another volume has claimed the disk
     * @throws StorageException.AlreadyExists   the volume name has already claimed another disk
     */
    @Override
    public Volume createVolume(VolumeSpec spec) {
        String name = Names.requireObjectName("name", spec.name(), MAX_VOLUME_NAME_LENGTH);
        String pool = Names.requireDevicePath("pool", spec.pool());
        long size = Sizes.requirePositive("sizeBytes", spec.sizeBytes());
        Optional<MediaType> mediaType = DeviceRequest.checkParameters(spec.parameters());
        if (spec.source().isPresent()) {
            throw new StorageException.Unsupported("Device volumes cannot be created from a snapshot or volume");
        }
        return lock.locked(() -> {
            Optional<DeviceClaim> existing = claims.read(name);
            if (existing.isPresent()) {
                return existingClaim(existing.get(), pool, size, mediaType);
            }
            DiscoveredDevice device = discovery.find("pool", pool);
            if (!device.path().equals(pool)) {
                throw new StorageException.InvalidArgument("pool: '" + pool + "' is another name of "
                        + device.path() + "; name the disk as discovery does");
            }
            if (!settings.devices().accepts(device.kernelName(), device.path())) {
                throw new StorageException.InvalidArgument("pool: device " + pool + " is excluded by the settings "
                        + DeviceSettings.DEVICE_INCLUDE + "/" + DeviceSettings.DEVICE_EXCLUDE);
            }
            for (DeviceClaim other : claims.all()) {
                if (other.identity().equals(device.identity())) {
                    throw new StorageException.Busy("pool: device " + pool + " is claimed by volume '"
                            + other.volumeName() + "'");
                }
            }
            if (!device.isFree()) {
                throw new StorageException.InvalidArgument("pool: device " + pool + " "
                        + String.join("; ", device.reasons())
                        + "; only blank disks are claimed, and this one is left untouched");
            }
            if (size > device.sizeBytes()) {
                throw new StorageException.OutOfCapacity("sizeBytes: " + size + " bytes do not fit device " + pool
                        + " of " + device.sizeBytes() + " bytes");
            }
            checkMediaType(mediaType, device.mediaType(), pool);
            DeviceClaim claim = new DeviceClaim(DeviceClaim.VERSION, name, device.path(), device.kernelName(),
                    device.identity(), device.sizeBytes(), size, device.mediaType().label(),
                    System.currentTimeMillis());
            claims.write(name, claim);
            return toVolume(new ClaimedDevice(claim, Optional.of(device), ClaimedDevice.State.ATTACHED));
        });
    }

    private Volume existingClaim(DeviceClaim claim, String pool, long size, Optional<MediaType> mediaType) {
        if (!claim.devicePath().equals(pool)) {
            throw new StorageException.AlreadyExists("name: volume '" + claim.volumeName() + "' already claims device "
                    + claim.devicePath() + ", not " + pool);
        }
        ClaimedDevice located = locate(claim);
        long deviceSize = located.device().map(DiscoveredDevice::sizeBytes).orElse(claim.sizeBytes());
        if (size > deviceSize) {
            throw new StorageException.OutOfCapacity("sizeBytes: volume '" + claim.volumeName() + "' is device "
                    + pool + " of " + deviceSize + " bytes, less than the " + size + " asked");
        }
        checkMediaType(mediaType, MediaType.fromLabel(claim.mediaType()), pool);
        return toVolume(located);
    }

    /**
     * Wipes the claimed disk's signatures and deletes the claim. Absent volume: success.
     *
     * @throws StorageException.Busy        the disk (or a partition, or its node) is mounted or held
     * @throws StorageException.Unavailable the claimed disk is not attached: it is not wiped and the claim stays
     */
    @Override
    public void deleteVolume(VolumeRef ref) {
        checkRef(ref);
        lock.locked(() -> {
            Optional<DeviceClaim> claim = claimFor(ref);
            if (claim.isEmpty()) {
                return;
            }
            ClaimedDevice located = locate(claim.get());
            if (located.device().isEmpty()) {
                throw new StorageException.Unavailable("volume '" + ref.name() + "': its disk (" + claim.get().identity()
                        + ", claimed as " + claim.get().devicePath() + ") is not attached; it is released once it is");
            }
            String path = located.device().get().path();
            try (ProgressSteps steps = ProgressSteps.begin(progress, "releasing Device volume " + ref.name() + " on "
                    + path)) {
                steps.note("checking " + path);
                BlockProbe probe = new BlockProbe(runner, settings.commandTimeout(), sysfsRoot, MountTable::read);
                DeviceUse use = probe.inspect(path);
                if (use.isActive()) {
                    throw new StorageException.Busy("volume '" + ref.name() + "': device " + path + " "
                            + String.join("; ", use.reasons()));
                }
                new SignatureWiper(runner, probe, settings.commandTimeout()).wipeAll(path, steps);
            }
            claims.delete(ref.name());
        });
    }

    @Override
    public VolumeUsage usage(VolumeRef ref) {
        Volume volume = volume(ref).orElseThrow(() -> new StorageException.NotFound("volume " + ref + " does not exist"));
        return new VolumeUsage(volume.sizeBytes(), volume.sizeBytes());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void checkRef(VolumeRef ref) {
        if (ref.type() != PoolType.DEVICE) {
            throw new StorageException.InvalidArgument("type: the Device backend cannot serve " + ref);
        }
        Names.requireObjectName("name", ref.name(), MAX_VOLUME_NAME_LENGTH);
        Names.requireDevicePath("pool", ref.pool());
    }

    private Optional<DeviceClaim> claimFor(VolumeRef ref) {
        return claims.read(ref.name()).filter(c -> c.devicePath().equals(ref.pool()));
    }

    private Map<DeviceIdentity, DeviceClaim> claimsByIdentity() {
        Map<DeviceIdentity, DeviceClaim> map = new HashMap<>();
        for (DeviceClaim claim : claims.all()) {
            map.put(claim.identity(), claim);
        }
        return map;
    }

    /** Finds the claimed disk: at its path if the identity still matches there, else wherever it is now. */
    private ClaimedDevice locate(DeviceClaim claim) {
        try {
            DiscoveredDevice atPath = discovery.find("pool", claim.devicePath());
            if (atPath.identity().equals(claim.identity())) {
                return new ClaimedDevice(claim, Optional.of(atPath), ClaimedDevice.State.ATTACHED);
            }
        } catch (StorageException.NotFound | StorageException.InvalidArgument e) {
            // Nothing, or no whole disk, at the claimed path now: look for the disk by identity.
        }
        Optional<DiscoveredDevice> moved = discovery.locate(claim.identity());
        return moved.map(d -> new ClaimedDevice(claim, Optional.of(d), ClaimedDevice.State.MOVED))
                .orElseGet(() -> new ClaimedDevice(claim, Optional.empty(), ClaimedDevice.State.MISSING));
    }

    private static Volume toVolume(ClaimedDevice located) {
        DeviceClaim claim = located.claim();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("state", located.state().name().toLowerCase(java.util.Locale.ROOT));
        attributes.put("identity", claim.identity().kind() + ":" + claim.identity().value());
        attributes.put("mediaType", claim.mediaType());
        attributes.put("claimedAtMillis", Long.toString(claim.claimedAtMillis()));
        located.device().ifPresent(d -> attributes.put("kernelName", d.kernelName()));
        long size = located.device().map(DiscoveredDevice::sizeBytes).orElse(claim.sizeBytes());
        return new Volume(new VolumeRef(PoolType.DEVICE, claim.devicePath(), claim.volumeName()), size,
                located.device().map(DiscoveredDevice::path), true, attributes);
    }

    static void checkMediaType(Optional<MediaType> wanted, MediaType actual, String pool) {
        if (wanted.isPresent() && wanted.get() != actual) {
            throw new StorageException.InvalidArgument(DeviceRequest.MEDIA_TYPE + ": " + pool + " is "
                    + (actual == null ? "unknown" : actual.label()) + ", not " + wanted.get().label());
        }
    }
}
