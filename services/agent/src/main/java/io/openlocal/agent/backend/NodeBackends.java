package io.openlocal.agent.backend;

import io.openlocal.agent.AgentConfig;
import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.Progress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The backends this node uses, built lazily from the registry. LVM, Device and MountPoint are built when the
 * agent configuration enables them; SPDK is built when the node's NLS names an {@code spdk_tgt} socket
 * ({@code spec.spdkConfig.rpcSocket}), rebuilt when the socket changes and closed when it is removed.
 *
 * <p>A backend that cannot be built (no provider installed, settings it refuses, a socket that does not answer)
 * is reported by {@link #problem(PoolType)} and tried again on the next pass.
 *
 * <p>A process that also runs the CSI node service should hand the agent the same backend instances (a
 * registry whose providers return them), so both see one set of caches and locks.
 */
public final class NodeBackends implements AutoCloseable {

    /** The SPDK backend's setting that names the target's JSON-RPC socket. */
    public static final String SPDK_SOCKET_SETTING = "rpcSocket";

    private static final Logger LOG = Logger.getLogger(NodeBackends.class.getName());

    private final String nodeName;
    private final BackendRegistry registry;
    private final CommandRunner runner;
    private final Path stateDir;
    private final Map<PoolType, AgentConfig.BackendConfig> configs;
    private final Progress progress;
    private final Map<PoolType, Backend> built = new EnumMap<>(PoolType.class);
    private final Map<PoolType, String> problems = new EnumMap<>(PoolType.class);
    private String spdkSocket;

    public NodeBackends(String nodeName, BackendRegistry registry, CommandRunner runner, Path stateDir,
                        Map<PoolType, AgentConfig.BackendConfig> configs) {
        this(nodeName, registry, runner, stateDir, configs, Progress.NONE);
    }

    /** @param progress where the backends report long work (pool initialisation) */
    public NodeBackends(String nodeName, BackendRegistry registry, CommandRunner runner, Path stateDir,
                        Map<PoolType, AgentConfig.BackendConfig> configs, Progress progress) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.configs = Map.copyOf(configs);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Whether this node is an SPDK node (its NLS names a socket). */
    public synchronized boolean spdkNode() {
        return spdkSocket != null;
    }

    /**
     * Points the SPDK backend at the socket the NLS names (null or empty: not an SPDK node). A changed
     * socket closes the old backend; the new one is built on next use.
     */
    public synchronized void useSpdkSocket(String socket) {
        String wanted = socket == null || socket.isEmpty() ? null : socket;
        if (Objects.equals(wanted, spdkSocket)) {
            return;
        }
        spdkSocket = wanted;
        Backend old = built.remove(PoolType.SPDK);
        problems.remove(PoolType.SPDK);
        if (old != null) {
            closeQuietly(PoolType.SPDK, old);
        }
    }

    /** The pool types this node should have a backend for now. */
    public synchronized java.util.List<PoolType> wanted() {
        java.util.List<PoolType> types = new java.util.ArrayList<>();
        for (PoolType type : PoolType.values()) {
            if (type == PoolType.SPDK ? spdkSocket != null : configs.get(type).enabled()) {
                types.add(type);
            }
        }
        return types;
    }

    /** The backend for a pool type, built on first use; empty when not wanted here or not buildable. */
    public synchronized Optional<Backend> get(PoolType type) {
        if (!wanted().contains(type)) {
            return Optional.empty();
        }
        Backend backend = built.get(type);
        if (backend != null) {
            return Optional.of(backend);
        }
        try {
            Map<String, String> settings = new HashMap<>(configs.get(type).settings());
            if (type == PoolType.SPDK) {
                settings.put(SPDK_SOCKET_SETTING, spdkSocket);
            }
            backend = registry.create(type, new BackendContext(nodeName, runner, stateDirOf(type), settings,
                    progress));
            built.put(type, backend);
            problems.remove(type);
            return Optional.of(backend);
        } catch (RuntimeException e) {
            String why = e instanceof StorageException ? e.getMessage() : e.toString();
            problems.put(type, "cannot start the " + type.volumeType() + " backend: " + why);
            return Optional.empty();
        }
    }

    /**
     * Where a backend keeps its records: {@code <stateDir>/backends/<lvm|device|spdk>}, as the standalone
     * launcher lays it out. Device and MountPoint share one directory: their provider reads each other's claims
     * from it, so a disk claimed as a Device volume is never formatted for a mount point.
     */
    public Path stateDirOf(PoolType type) {
        String dir = switch (type) {
            case LVM -> "lvm";
            case DEVICE, MOUNT_POINT -> "device";
            case SPDK -> "spdk";
        };
        return stateDir.resolve("backends").resolve(dir);
    }

    /** Why the backend of that type could not be built, if it could not. */
    public synchronized Optional<String> problem(PoolType type) {
        return Optional.ofNullable(problems.get(type));
    }

    @Override
    public synchronized void close() {
        built.forEach(NodeBackends::closeQuietly);
        built.clear();
    }

    private static void closeQuietly(PoolType type, Backend backend) {
        try {
            backend.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the " + type.volumeType() + " backend failed", e);
        }
    }
}
