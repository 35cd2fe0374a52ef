package io.openlocal.csi.nodeapi;

import io.openlocal.backend.Backend;
import io.openlocal.backend.Capability;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.SnapshotSpec;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.csi.volume.BackendNames;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The node API done here, with this node's backends: what the agent serves to the controller, and what standalone
 * mode calls in process.
 *
 * <p>Every volume and snapshot made through CSI has a durable record in {@code stateDir} (see
 * {@link StoredVolume}), written before the backend is asked: it makes CreateVolume idempotent by name (the same
 * name with the same parameters returns the same volume, with different ones is AlreadyExists) and crash-safe (a
 * retry finishes in the pool the first attempt chose). The backend stays the truth about what exists.
 */
public final class LocalNodeStorage implements NodeStorage, LocalDevices {

    private static final int RECORD_VERSION = 1;

    private final String nodeName;
    private final Map<PoolType, Backend> backends;
    private final PoolChooser chooser;
    private final DurableRecords<StoredVolume> volumeRecords;
    private final DurableRecords<StoredSnapshot> snapshotRecords;
    private final Clock clock;
    private final Predicate<PoolInfo> allowed;
    private final BackendNames names;
    /** One provisioning per name at a time (the CSI layer already refuses a second with ABORTED). */
    private final Map<String, ReentrantLock> nameLocks = new ConcurrentHashMap<>();
    /** Choosing a pool and creating in it is one step per type, so two volumes never pick the same device. */
    private final Map<PoolType, ReentrantLock> typeLocks = new EnumMap<>(PoolType.class);

    /**
     * @param allowed which discovered pools this node may use (Open-Local's filtered storage: the VGs and devices
     *                the node's configuration lists); others are neither reported nor chosen
     * @param names   how CSI names become backend names (with the ownership prefix)
     */
    public LocalNodeStorage(String nodeName, Map<PoolType, Backend> backends, Path stateDir, PoolChooser chooser,
                            Clock clock, Predicate<PoolInfo> allowed, BackendNames names) {
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.names = Objects.requireNonNull(names, "names");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.backends = new EnumMap<>(PoolType.class);
        this.backends.putAll(backends);
        this.chooser = Objects.requireNonNull(chooser, "chooser");
        this.volumeRecords = new DurableRecords<>(stateDir.resolve("csi-volumes"), StoredVolume.class);
        this.snapshotRecords = new DurableRecords<>(stateDir.resolve("csi-snapshots"), StoredSnapshot.class);
        this.clock = clock;
        for (PoolType type : PoolType.values()) {
            typeLocks.put(type, new ReentrantLock());
        }
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public NodeStatus status() {
        List<BackendStatus> statuses = new ArrayList<>();
        backends.forEach((type, backend) -> statuses.add(new BackendStatus(type, backend.health(),
                backend.capabilities())));
        return new NodeStatus(nodeName, statuses);
    }

    @Override
    public List<PoolInfo> pools(Optional<PoolType> type) {
        List<PoolInfo> pools = new ArrayList<>();
        for (Map.Entry<PoolType, Backend> entry : backends.entrySet()) {
            if (type.isEmpty() || type.get() == entry.getKey()) {
                allowedPools(entry.getKey(), entry.getValue()).forEach(pools::add);
            }
        }
        return pools;
    }

    @Override
    public ProvisionedVolume provision(ProvisionRequest request) {
        Backend backend = backend(request.type());
        String name = names.of(request.csiName());
        return withLock(nameLocks, name, () -> {
            Optional<StoredVolume> existing = volumeRecords.read(name);
            if (existing.isPresent()) {
                StoredVolume record = existing.get();
                requireSameRequest(record, request);
                VolumeRef ref = new VolumeRef(request.type(), record.pool(), name);
                Optional<Volume> volume = backend.volume(ref);
                if (volume.isPresent()) {
                    if (!record.state().equals(StoredVolume.READY)) {
                        volumeRecords.write(name, record.withState(StoredVolume.READY));
                    }
                    return provisioned(record, volume.get());
                }
                // The first attempt recorded its choice and stopped (crash, timeout): finish it in that pool.
                long size = sizeIn(backend, request, record.pool());
                return create(backend, record.withState(StoredVolume.CREATING), request, size);
            }
            ReentrantLock typeLock = typeLocks.get(request.type());
            typeLock.lock();
            try {
                PoolChooser.Choice choice = request.source().isPresent() && isShared(request.type())
                        ? sourcePool(backend, request)
                        : chooser.choose(request, allowedPools(request.type(), backend), nodeName);
                StoredVolume record = new StoredVolume(RECORD_VERSION, request.csiName(), request.type().volumeType(),
                        choice.pool().name(), name, request.parameters(), request.requiredBytes(), request.limitBytes(),
                        request.source().map(s -> s.ref().type().volumeType()).orElse(null),
                        request.source().map(s -> s.ref().pool()).orElse(null),
                        request.source().map(s -> s.ref().name()).orElse(null),
                        request.source().map(VolumeSource::snapshot).orElse(false),
                        clock.millis(), StoredVolume.CREATING);
                return create(backend, record, request, choice.sizeBytes());
            } finally {
                typeLock.unlock();
            }
        });
    }

    private ProvisionedVolume create(Backend backend, StoredVolume record, ProvisionRequest request, long sizeBytes) {
        volumeRecords.write(record.name(), record);
        Volume made;
        try {
            made = backend.createVolume(new VolumeSpec(record.pool(), record.name(), sizeBytes,
                    request.backendParameters(), request.source().map(VolumeSource::ref)));
        } catch (StorageException e) {
            // Nothing was made (backends validate first and clean up after themselves): let a retry choose again.
            if (backend.volume(new VolumeRef(request.type(), record.pool(), record.name())).isEmpty()) {
                volumeRecords.delete(record.name());
            }
            throw e;
        }
        StoredVolume ready = record.withState(StoredVolume.READY);
        volumeRecords.write(record.name(), ready);
        return provisioned(ready, made);
    }

    /** Shared-pool copies stay in their source's pool (LVM clones and snapshots live in the origin's VG). */
    private PoolChooser.Choice sourcePool(Backend backend, ProvisionRequest request) {
        VolumeRef source = request.source().orElseThrow().ref();
        PoolInfo pool = backend.pool(source.pool()).filter(allowed).orElseThrow(() -> new StorageException.NotFound(
                "source pool " + source.pool() + " does not exist on node " + nodeName));
        long size = PoolChooser.roundedSize(pool, request.requiredBytes());
        if (request.limitBytes() > 0 && size > request.limitBytes()) {
            throw new OutOfRange("capacity_range: " + size + " bytes after rounding is above limit_bytes "
                    + request.limitBytes());
        }
        return new PoolChooser.Choice(pool, size);
    }

    private long sizeIn(Backend backend, ProvisionRequest request, String poolName) {
        PoolInfo pool = backend.pool(poolName).filter(allowed).orElseThrow(() -> new StorageException.NotFound("pool " + poolName
                + " recorded for volume " + request.csiName() + " no longer exists on node " + nodeName));
        return isShared(request.type()) ? PoolChooser.roundedSize(pool, request.requiredBytes())
                : pool.capacity().totalBytes();
    }

    private List<PoolInfo> allowedPools(PoolType type, Backend backend) {
        return backend.pools().stream().filter(p -> p.type() == type).filter(allowed).toList();
    }

    private static boolean isShared(PoolType type) {
        return type == PoolType.LVM || type == PoolType.SPDK;
    }

    private void requireSameRequest(StoredVolume record, ProvisionRequest request) {
        List<String> differences = new ArrayList<>();
        if (!record.csiName().equals(request.csiName())) {
            differences.add("another name maps to the same backend name");
        }
        if (!record.type().equals(request.type().volumeType())) {
            differences.add("volumeType " + record.type() + " vs " + request.type().volumeType());
        }
        if (!record.parameters().equals(request.parameters())) {
            differences.add("parameters " + record.parameters() + " vs " + request.parameters());
        }
        if (record.requiredBytes() != request.requiredBytes() || record.limitBytes() != request.limitBytes()) {
            differences.add("capacity range [" + record.requiredBytes() + ", " + record.limitBytes() + "] vs ["
                    + request.requiredBytes() + ", " + request.limitBytes() + "]");
        }
        String source = request.source().map(s -> s.ref().toString() + (s.snapshot() ? " (snapshot)" : "")).orElse("none");
        String recordedSource = record.sourceName() == null ? "none"
                : new VolumeRef(PoolType.fromVolumeType(record.sourceType()), record.sourcePool(), record.sourceName())
                + (record.sourceIsSnapshot() ? " (snapshot)" : "");
        if (!source.equals(recordedSource)) {
            differences.add("content source " + recordedSource + " vs " + source);
        }
        if (!differences.isEmpty()) {
            throw new StorageException.AlreadyExists("volume '" + request.csiName() + "' already exists on node "
                    + nodeName + " with a different request: " + String.join("; ", differences));
        }
    }

    private ProvisionedVolume provisioned(StoredVolume record, Volume volume) {
        Optional<VolumeSource> source = record.sourceName() == null ? Optional.empty()
                : Optional.of(new VolumeSource(new VolumeRef(PoolType.fromVolumeType(record.sourceType()),
                        record.sourcePool(), record.sourceName()), record.sourceIsSnapshot()));
        return new ProvisionedVolume(record.csiName(), volume, record.parameters(), source,
                record.createdEpochMillis());
    }

    @Override
    public Optional<VolumeLookup> volume(VolumeRef ref) {
        Backend backend = backends.get(ref.type());
        if (backend == null) {
            return Optional.empty();
        }
        Optional<Volume> volume = backend.volume(ref);
        if (volume.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProvisionedVolume> record = volumeRecords.read(ref.name())
                .filter(r -> r.type().equals(ref.type().volumeType()) && r.pool().equals(ref.pool()))
                .map(r -> provisioned(r, volume.get()));
        return Optional.of(new VolumeLookup(volume.get(), record));
    }

    @Override
    public List<ProvisionedVolume> volumes() {
        List<ProvisionedVolume> list = new ArrayList<>();
        for (StoredVolume record : volumeRecords.all()) {
            Backend backend = backends.get(PoolType.fromVolumeType(record.type()));
            if (backend == null) {
                continue;
            }
            backend.volume(new VolumeRef(PoolType.fromVolumeType(record.type()), record.pool(), record.name()))
                    .ifPresent(v -> list.add(provisioned(record, v)));
        }
        return list;
    }

    @Override
    public ProvisionedVolume expand(VolumeRef ref, long newSizeBytes) {
        Backend backend = backend(ref.type());
        return withLock(nameLocks, ref.name(), () -> {
            Volume grown = backend.expandVolume(ref, newSizeBytes);
            StoredVolume record = volumeRecords.read(ref.name()).orElse(null);
            if (record == null || !record.pool().equals(ref.pool())) {
                return new ProvisionedVolume(ref.name(), grown, Map.of(), Optional.empty(), 0);
            }
            return provisioned(record, grown);
        });
    }

    @Override
    public void delete(VolumeRef ref) {
        Backend backend = backends.get(ref.type());
        if (backend == null) {
            return; // a type this node does not serve holds no volume of ours
        }
        withLock(nameLocks, ref.name(), () -> {
            backend.deleteVolume(ref);
            volumeRecords.read(ref.name())
                    .filter(r -> r.type().equals(ref.type().volumeType()) && r.pool().equals(ref.pool()))
                    .ifPresent(r -> volumeRecords.delete(ref.name()));
            return null;
        });
    }

    @Override
    public SnapshotRecord snapshot(SnapshotRequest request) {
        Backend backend = backend(request.source().type());
        if (!backend.capabilities().contains(Capability.SNAPSHOT)) {
            throw new StorageException.Unsupported(request.source().type().volumeType()
                    + " volumes cannot be snapshotted on node " + nodeName + missingFeatures(backend));
        }
        String name = names.ofSnapshot(request.csiName());
        return withLock(nameLocks, name, () -> {
            Optional<StoredSnapshot> existing = snapshotRecords.read(name);
            StoredSnapshot record;
            if (existing.isPresent()) {
                record = existing.get();
                if (!record.csiName().equals(request.csiName()) || !record.sourcePool().equals(request.source().pool())
                        || !record.sourceName().equals(request.source().name())
                        || !record.type().equals(request.source().type().volumeType())) {
                    throw new StorageException.AlreadyExists("snapshot '" + request.csiName()
                            + "' already exists on node " + nodeName + " for another source volume ("
                            + record.sourcePool() + "/" + record.sourceName() + ")");
                }
                Optional<Snapshot> present = findSnapshot(backend, record);
                if (present.isPresent()) {
                    return snapshotRecord(record, present.get());
                }
            } else {
                if (backend.volume(request.source()).isEmpty()) {
                    throw new StorageException.NotFound("source volume " + request.source() + " does not exist on node "
                            + nodeName);
                }
                record = new StoredSnapshot(RECORD_VERSION, request.csiName(), request.source().type().volumeType(),
                        request.source().pool(), name, request.source().pool(), request.source().name(), 0,
                        request.parameters(), clock.millis(), StoredVolume.CREATING);
            }
            snapshotRecords.write(name, record);
            Snapshot taken;
            try {
                taken = backend.createSnapshot(new SnapshotSpec(request.source(), name, request.sizeBytes(), Map.of()));
            } catch (StorageException e) {
                if (findSnapshot(backend, record).isEmpty()) {
                    snapshotRecords.delete(name);
                }
                throw e;
            }
            StoredSnapshot ready = record.withState(StoredVolume.READY, taken.sizeBytes());
            snapshotRecords.write(name, ready);
            return snapshotRecord(ready, taken);
        });
    }

    private static String missingFeatures(Backend backend) {
        List<String> missing = backend.health().missing();
        return missing.isEmpty() ? "" : " (this node lacks: " + String.join(", ", missing) + ")";
    }

    private static Optional<Snapshot> findSnapshot(Backend backend, StoredSnapshot record) {
        return backend.snapshots(record.pool()).stream().filter(s -> s.ref().name().equals(record.name())).findFirst();
    }

    private SnapshotRecord snapshotRecord(StoredSnapshot record, Snapshot snapshot) {
        long created = snapshot.createdEpochMillis() > 0 ? snapshot.createdEpochMillis() : record.createdEpochMillis();
        return new SnapshotRecord(record.csiName(), snapshot.ref(), snapshot.source(), snapshot.sizeBytes(), created,
                snapshot.readyToUse(), record.parameters());
    }

    @Override
    public void deleteSnapshot(VolumeRef ref) {
        Backend backend = backends.get(ref.type());
        if (backend == null) {
            return;
        }
        withLock(nameLocks, ref.name(), () -> {
            Optional<StoredSnapshot> record = snapshotRecords.read(ref.name())
                    .filter(r -> r.type().equals(ref.type().volumeType()) && r.pool().equals(ref.pool()));
            boolean exists = backend.snapshots(ref.pool()).stream().anyMatch(s -> s.ref().name().equals(ref.name()));
            if (exists) {
                backend.deleteSnapshot(ref);
            }
            record.ifPresent(r -> snapshotRecords.delete(ref.name()));
            return null;
        });
    }

    @Override
    public List<SnapshotRecord> snapshots() {
        List<SnapshotRecord> list = new ArrayList<>();
        for (StoredSnapshot record : snapshotRecords.all()) {
            Backend backend = backends.get(PoolType.fromVolumeType(record.type()));
            if (backend != null) {
                findSnapshot(backend, record).ifPresent(s -> list.add(snapshotRecord(record, s)));
            }
        }
        return list;
    }

    private Backend backend(PoolType type) {
        Backend backend = backends.get(type);
        if (backend == null) {
            throw new StorageException.InvalidArgument("volumeType: " + type.volumeType()
                    + " is not served on node " + nodeName + " (configured: "
                    + backends.keySet().stream().map(PoolType::volumeType).toList() + ")");
        }
        return backend;
    }

    private static <T> T withLock(Map<String, ReentrantLock> locks, String key, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    // ---- devices on this node (the Node service's side; not part of the node API) ----------------------------

    @Override
    public boolean attaches(PoolType type) {
        Backend backend = backends.get(type);
        return backend != null && backend.capabilities().contains(Capability.ATTACH);
    }

    @Override
    public String attach(VolumeRef ref) {
        return backend(ref.type()).attach(ref);
    }

    @Override
    public void detach(VolumeRef ref) {
        backend(ref.type()).detach(ref);
    }

    @Override
    public Optional<String> attachedDevice(VolumeRef ref) {
        return backend(ref.type()).attachedDevice(ref);
    }
}
