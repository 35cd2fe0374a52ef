package io.openlocal.agent.init;

import io.openlocal.agent.backend.NodeBackends;
import io.openlocal.agent.discovery.NodeInventory;
import io.openlocal.agent.init.InitOutcome.Result;
import io.openlocal.backend.Backend;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Quantities;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.spec.SpecProblem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Turns {@code spec.resourceToBeInited} into pools through the backend that owns each kind: VGs through LVM,
 * mount points through MountPoint, lvstores through SPDK (on SPDK nodes only).
 *
 * <p>Safety rules, in order: an entry with a spec problem, a duplicate name, or a device that another entry
 * also lists is not tried at all; an entry whose pool already exists is left alone (as Open-Local leaves an
 * existing VG of that name); a device that does not exist is refused before any backend call; the backend is
 * called without {@code force}, so it refuses devices that hold a filesystem, a partition table or other data
 * this system did not put there, and never wipes them. Failed entries are retried with exponential back-off.
 */
public final class ResourceInitializer {

    /** The outcome of one pass: per entry, and whether anything on the node changed. */
    public record Pass(List<InitOutcome> outcomes, boolean changedNode) {
        public Pass {
            outcomes = List.copyOf(outcomes);
        }
    }

    private record Entry(String field, PoolType type, String name, List<String> devices, Map<String, String> options,
                         String kindWord) {
        String key() {
            return field + "|" + type + "|" + name + "|" + devices + "|" + options;
        }

        String describe() {
            return kindWord + " " + name + " from " + String.join(", ", devices);
        }
    }

    private final NodeBackends backends;
    private final Predicate<String> deviceExists;
    private final RetryBackoff backoff;
    private final Map<String, InitOutcome> lastFailure = new HashMap<>();

    /**
     * @param deviceExists  whether a device path exists on this node (the real check is {@code Files.exists})
     * @param retryBase     first pause after a failure (the discovery interval)
     * @param retryMax      longest pause
     */
    public ResourceInitializer(NodeBackends backends, Predicate<String> deviceExists, Clock clock, Duration retryBase,
                               Duration retryMax) {
        this.backends = backends;
        this.deviceExists = deviceExists;
        this.backoff = new RetryBackoff(clock, retryBase, retryMax);
    }

    public Pass apply(NodeLocalStorageSpec spec, List<SpecProblem> problems, NodeInventory inventory) {
        List<Entry> entries = entries(spec == null ? null : spec.resourceToBeInited());
        Map<String, String> invalid = invalidEntries(entries, problems);
        List<InitOutcome> outcomes = new ArrayList<>();
        boolean changed = false;
        for (Entry e : entries) {
            InitOutcome outcome = initialise(e, invalid.get(e.field()), inventory);
            changed |= outcome.result() == Result.CREATED;
            outcomes.add(outcome);
        }
        var keys = entries.stream().map(Entry::key).collect(Collectors.toSet());
        backoff.retainOnly(keys);
        lastFailure.keySet().retainAll(keys);
        return new Pass(outcomes, changed);
    }

    private InitOutcome initialise(Entry e, String invalidReason, NodeInventory inventory) {
        if (invalidReason != null) {
            return outcome(e, Result.INVALID, e.kindWord() + " " + e.name() + " is not initialised: " + invalidReason);
        }
        if (!inventory.answered(e.type())) {
            return outcome(e, Result.FAILED, "cannot tell whether " + e.kindWord() + " " + e.name()
                    + " exists: " + inventory.failures().get(e.type()));
        }
        if (present(e, inventory)) {
            backoff.succeeded(e.key());
            lastFailure.remove(e.key());
            return outcome(e, Result.PRESENT, e.kindWord() + " " + e.name() + " exists");
        }
        // Checks that cost nothing and change nothing come before the back-off, so fixing their cause (the
        // socket set, the disk plugged in) takes effect on the next pass.
        InitOutcome precheck = precheck(e);
        if (precheck != null) {
            return precheck;
        }
        if (!backoff.due(e.key()) && lastFailure.containsKey(e.key())) {
            return lastFailure.get(e.key());
        }
        InitOutcome outcome = attempt(e);
        if (outcome.result().satisfied()) {
            backoff.succeeded(e.key());
            lastFailure.remove(e.key());
        } else {
            backoff.failed(e.key());
            lastFailure.put(e.key(), outcome);
        }
        return outcome;
    }

    private InitOutcome precheck(Entry e) {
        if (e.type() == PoolType.SPDK && !backends.spdkNode()) {
            return outcome(e, Result.REFUSED, "lvstore " + e.name() + " is not created: this node is not an SPDK "
                    + "node (spec.spdkConfig.rpcSocket is not set)");
        }
        for (String device : e.devices()) {
            String path = localPath(device);
            if (path != null && !deviceExists.test(path)) {
                return outcome(e, Result.REFUSED, e.describe() + " is not created: device " + path
                        + " does not exist on this node");
            }
        }
        return null;
    }

    private InitOutcome attempt(Entry e) {
        Optional<Backend> backend = backends.get(e.type());
        if (backend.isEmpty()) {
            return outcome(e, Result.FAILED, e.describe() + " is not created: "
                    + backends.problem(e.type()).orElse("no " + e.type().volumeType() + " backend on this node"));
        }
        try {
            backend.get().initPool(new PoolSpec(e.name(), e.type(), e.devices(), false, e.options()));
            return outcome(e, Result.CREATED, "created " + e.describe());
        } catch (StorageException x) {
            Result result = switch (x.kind()) {
                case INVALID_ARGUMENT, ALREADY_EXISTS, BUSY, NOT_FOUND -> Result.REFUSED;
                default -> Result.FAILED;
            };
            return outcome(e, result, e.describe() + " is not created: " + x.getMessage());
        } catch (RuntimeException x) {
            return outcome(e, Result.FAILED, e.describe() + " is not created: " + x);
        }
    }

    private static boolean present(Entry e, NodeInventory inventory) {
        return switch (e.type()) {
            case LVM -> inventory.volumeGroup(e.name()).isPresent();
            case MOUNT_POINT -> inventory.mountPoint(e.name()).isPresent();
            case SPDK -> inventory.spdkStore(e.name()).isPresent();
            case DEVICE -> false;
        };
    }

    private static InitOutcome outcome(Entry e, Result result, String message) {
        return new InitOutcome(e.field(), e.type(), e.name(), result, message);
    }

    private static List<Entry> entries(ResourceToBeInited init) {
        List<Entry> entries = new ArrayList<>();
        if (init == null) {
            return entries;
        }
        String at = "spec.resourceToBeInited";
        for (int i = 0; i < init.vgs().size(); i++) {
            var vg = init.vgs().get(i);
            entries.add(new Entry(at + ".vgs[" + i + "]", PoolType.LVM, vg == null ? null : vg.name(),
                    vg == null ? List.of() : vg.devices(), Map.of(), "VG"));
        }
        for (int i = 0; i < init.mountpoints().size(); i++) {
            var mp = init.mountpoints().get(i);
            Map<String, String> options = new LinkedHashMap<>();
            if (mp != null) {
                options.put(MOUNT_FS_TYPE, mp.fsType() == null || mp.fsType().isEmpty() ? "ext4" : mp.fsType());
                if (!mp.options().isEmpty()) {
                    options.put(MOUNT_OPTIONS, String.join(",", mp.options()));
                }
            }
            entries.add(new Entry(at + ".mountpoints[" + i + "]", PoolType.MOUNT_POINT, mp == null ? null : mp.path(),
                    mp == null || mp.device() == null ? List.of() : List.of(mp.device()), options, "mount point"));
        }
        for (int i = 0; i < init.lvstores().size(); i++) {
            var lvs = init.lvstores().get(i);
            Map<String, String> options = new LinkedHashMap<>();
            if (lvs != null && lvs.clusterSize() != null) {
                try {
                    options.put(SPDK_CLUSTER_SIZE, Long.toString(Quantities.parseBytes(lvs.clusterSize())));
                } catch (IllegalArgumentException ignored) {
                    // reported by the spec validator; the entry is invalid and never reaches the backend
                }
            }
            entries.add(new Entry(at + ".lvstores[" + i + "]", PoolType.SPDK, lvs == null ? null : lvs.name(),
                    lvs == null || lvs.device() == null ? List.of() : List.of(spdkBaseDevice(lvs.device())), options,
                    "lvstore"));
        }
        return entries;
    }

    /** A block device path is handed to the SPDK backend as an AIO bdev over it ({@code aio:/dev/...}). */
    private static String spdkBaseDevice(String device) {
        return device.startsWith("/") ? "aio:" + device : device;
    }

    /** The local path a device entry stands for, if it is one ({@code /dev/sdb}, {@code aio:/dev/sdb}). */
    private static String localPath(String device) {
        if (device.startsWith("aio:")) {
            return device.substring(4);
        }
        return device.startsWith("/") ? device : null;
    }

    /** PoolSpec option keys the MountPoint and SPDK backends take. */
    public static final String MOUNT_FS_TYPE = "fsType";
    public static final String MOUNT_OPTIONS = "mountOptions";
    public static final String SPDK_CLUSTER_SIZE = "clusterSizeBytes";

    /**
     * Entries that must not be tried, with the reason: those under a field the validator faulted, and every
     * entry of a group that shares a name (same kind) or a device (any kind), since which one was meant is
     * unknowable.
     */
    private static Map<String, String> invalidEntries(List<Entry> entries, List<SpecProblem> problems) {
        Map<String, String> invalid = new LinkedHashMap<>();
        for (Entry e : entries) {
            String reasons = problems.stream()
                    .filter(p -> p.field().equals(e.field()) || p.field().startsWith(e.field() + "."))
                    .map(SpecProblem::toString).collect(Collectors.joining("; "));
            if (!reasons.isEmpty()) {
                invalid.put(e.field(), reasons);
            }
        }
        Map<String, List<Entry>> byName = new LinkedHashMap<>();
        Map<String, List<Entry>> byDevice = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.name() != null) {
                byName.computeIfAbsent(e.type() + "/" + e.name(), k -> new ArrayList<>()).add(e);
            }
            for (String d : e.devices()) {
                byDevice.computeIfAbsent(d, k -> new ArrayList<>()).add(e);
            }
        }
        byName.values().stream().filter(g -> g.size() > 1).forEach(g -> g.forEach(e -> invalid.merge(e.field(),
                "the name '" + e.name() + "' is listed more than once (" + fields(g) + ")", (a, b) -> a + "; " + b)));
        byDevice.forEach((device, g) -> {
            if (g.size() > 1) {
                g.forEach(e -> invalid.merge(e.field(), "device " + device + " is listed more than once ("
                        + fields(g) + ")", (a, b) -> a + "; " + b));
            }
        });
        return invalid;
    }

    private static String fields(List<Entry> group) {
        return group.stream().map(Entry::field).distinct().collect(Collectors.joining(", "));
    }
}
