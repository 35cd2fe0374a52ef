package io.openlocal.agent.testing;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendProvider;
import io.openlocal.backend.Capability;
import io.openlocal.backend.Health;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.backend.volume.VolumeUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that keeps its pools in memory, for tests of the agent's logic without disks. It keeps the SPI's
 * rules that the agent relies on: initPool refuses a device marked as holding foreign data (InvalidArgument,
 * nothing changed) and returns an existing pool made from the same devices.
 */
public final class MemoryBackend implements Backend {

    private final PoolType type;
    public final List<PoolInfo> pools = new CopyOnWriteArrayList<>();
    public final Map<String, List<Volume>> volumes = new ConcurrentHashMap<>();
    /** Device path to the signature it holds, as blkid would say. */
    public final Map<String, String> foreignData = new ConcurrentHashMap<>();
    public final AtomicInteger poolsCalls = new AtomicInteger();
    public final AtomicInteger initCalls = new AtomicInteger();
    public final List<BackendContext> contexts = new CopyOnWriteArrayList<>();
    public volatile RuntimeException failDiscovery;
    public volatile RuntimeException failInit;
    public volatile long deviceSizeBytes = 1L << 30;

    public MemoryBackend(PoolType type) {
        this.type = type;
    }

    /** A provider that always hands out this one backend (recording the contexts it was given). */
    public BackendProvider provider() {
        return new BackendProvider() {
            @Override
            public Set<PoolType> types() {
                return Set.of(type);
            }

            @Override
            public Backend create(PoolType t, BackendContext context) {
                contexts.add(context);
                return MemoryBackend.this;
            }
        };
    }

    public MemoryBackend withDevice(String path, boolean inUse) {
        pools.add(new PoolInfo(path, type, Capacity.of(deviceSizeBytes, inUse ? 0 : deviceSizeBytes), List.of(path),
                MediaType.SSD, false, inUse, Map.of()));
        return this;
    }

    public MemoryBackend withPool(String name, long total, long available, String... devices) {
        pools.add(new PoolInfo(name, type, Capacity.of(total, available), List.of(devices), MediaType.UNKNOWN, false,
                false, Map.of()));
        return this;
    }

    @Override
    public PoolType type() {
        return type;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public Health health() {
        return Health.ok("memory");
    }

    @Override
    public List<PoolInfo> pools() {
        poolsCalls.incrementAndGet();
        if (failDiscovery != null) {
            throw failDiscovery;
        }
        return List.copyOf(pools);
    }

    @Override
    public PoolInfo initPool(PoolSpec spec) {
        initCalls.incrementAndGet();
        if (failInit != null) {
            throw failInit;
        }
        for (String d : spec.devices()) {
            if (foreignData.containsKey(d)) {
                throw new StorageException.InvalidArgument("device " + d + " holds " + foreignData.get(d)
                        + "; refusing to initialise it");
            }
        }
        Optional<PoolInfo> existing = pool(spec.name());
        if (existing.isPresent()) {
            return existing.get();
        }
        long size = deviceSizeBytes * spec.devices().size();
        PoolInfo pool = new PoolInfo(spec.name(), type, Capacity.of(size, size), spec.devices(), MediaType.UNKNOWN,
                false, false, spec.options());
        pools.add(pool);
        return pool;
    }

    @Override
    public List<Volume> volumes(String pool) {
        return new ArrayList<>(volumes.getOrDefault(pool, List.of()));
    }

    @Override
    public Optional<Volume> volume(VolumeRef ref) {
        return volumes(ref.pool()).stream().filter(v -> v.ref().equals(ref)).findFirst();
    }

    @Override
    public Volume createVolume(VolumeSpec spec) {
        throw new StorageException.Unsupported("not in this test backend");
    }

    @Override
    public void deleteVolume(VolumeRef ref) {
        throw new StorageException.Unsupported("not in this test backend");
    }

    @Override
    public VolumeUsage usage(VolumeRef ref) {
        throw new StorageException.Unsupported("not in this test backend");
    }
}
