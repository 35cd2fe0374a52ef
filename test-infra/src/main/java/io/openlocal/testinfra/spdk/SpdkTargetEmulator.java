package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SPDK target ({@code spdk_tgt}, v26.05) emulated in-process for tests: it listens on a unix socket and
 * answers JSON-RPC the way the real target does (framing, result shapes, error codes and messages, cluster
 * arithmetic, snapshot and clone rules), for the bdev, lvol, NVMe-oF and vhost methods Open-Local uses. A
 * replay of the recorded transcript ({@code shared/spdk/rpc-transcript.jsonl}) checks it against the real
 * target.
 *
 * <p>What it does not do: move data (lvols hold no bytes; allocation counts come from the rules above),
 * serve NVMe/TCP or vhost-user traffic (listeners are recorded; vhost sockets are created but not served),
 * or attach fabrics NVMe controllers (only local PCIe controllers given to {@link Builder#nvmeController}).
 *
 * <p>{@link #stop()} and {@link #start()} model a target restart on the same socket: everything in memory
 * is lost; an lvstore on a file-backed bdev comes back when a client attaches that file again, because its
 * metadata is written to the file.
 */
public final class SpdkTargetEmulator implements AutoCloseable {

    private final Path socketPath;
    private final Path vhostSocketDir;
    private final Duration pollPeriod;
    private final SimulatedDevices devices;
    private final Faults faults = new Faults();
    private final ObjectMapper mapper = new ObjectMapper();
    private RpcServer server;
    private TargetState state;

    private SpdkTargetEmulator(Builder builder) {
        this.socketPath = builder.socketPath;
        this.vhostSocketDir = builder.vhostSocketDir;
        this.pollPeriod = builder.pollPeriod;
        this.devices = builder.devices;
    }

    public static Builder builder(Path socketPath) {
        return new Builder(socketPath);
    }

    /** Starts (or restarts) the target with empty memory. */
    public synchronized SpdkTargetEmulator start() {
        if (server != null) {
            throw new IllegalStateException("the emulated target is already running on " + socketPath);
        }
        state = new TargetState(devices, vhostSocketDir, mapper);
        RpcServer s = new RpcServer(socketPath, new RpcDispatcher(mapper, state, faults), mapper, pollPeriod);
        try {
            s.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + socketPath, e);
        }
        server = s;
        return this;
    }

    /** Stops like a killed target: connections drop, calls in progress get no answer, memory is lost. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.close();
        server = null;
        synchronized (state) {
            state.shutdown();
        }
    }

    /** {@link #stop()} then {@link #start()}. */
    public SpdkTargetEmulator restart() {
        stop();
        return start();
    }

    /** Closes every client connection without stopping (the target stays up). */
    public synchronized void dropConnections() {
        if (server != null) {
            server.dropConnections();
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    public Path socketPath() {
        return socketPath;
    }

    public Path vhostSocketDir() {
        return vhostSocketDir;
    }

    /** A namespace a host finds after connecting to a subsystem: its NSID, UUID and size. */
    public record ReachableNamespace(int nsid, String uuid, long sizeBytes) {
    }

    /**
     * What an NVMe-oF/TCP host with {@code hostNqn} connecting to {@code traddr:trsvcid} for {@code nqn} would be
     * given: the subsystem's namespaces when the subsystem exists, listens on TCP at that address and admits the
     * host; empty when the target would refuse the connection (or is not running).
     */
    public synchronized Optional<List<ReachableNamespace>> connectNvmfTcp(String nqn, String traddr,
                                                                           String trsvcid, String hostNqn) {
        if (server == null) {
            return Optional.empty();
        }
        synchronized (state) {
            for (NvmfSubsystem s : state.subsystems) {
                if (!s.nqn.equals(nqn) || s.discovery) {
                    continue;
                }
                boolean listens = s.listeners.stream().anyMatch(l -> l.trtype().equalsIgnoreCase("TCP")
                        && l.traddr().equals(traddr) && l.trsvcid().equals(trsvcid));
                boolean admits = s.allowAnyHost || s.hosts.contains(hostNqn);
                if (!listens || !admits) {
                    return Optional.empty();
                }
                return Optional.of(s.namespaces.values().stream()
                        .map(ns -> new ReachableNamespace(ns.nsid, ns.uuid, ns.bdev.sizeBytes())).toList());
            }
            return Optional.empty();
        }
    }

    /** Misbehaviour to inject (delays, hangs, garbage, dropped connections). */
    public Faults faults() {
        return faults;
    }

    /** Makes {@code devicePath} (for example {@code /dev/loop1}) a 512-byte-sector block device backed by a file. */
    public SpdkTargetEmulator addBlockDevice(String devicePath, Path backingFile) {
        devices.addBlockDevice(devicePath, backingFile);
        return this;
    }

    /** Puts a local NVMe controller (one namespace, 512-byte sectors) at a PCI address, backed by a file. */
    public SpdkTargetEmulator addNvmeController(String pciAddress, Path backingFile) {
        devices.addNvmeController(pciAddress, backingFile);
        return this;
    }

    @Override
    public void close() {
        stop();
    }

    /** How the emulated target is set up. */
    public static final class Builder {
        private final Path socketPath;
        private Path vhostSocketDir;
        private Duration pollPeriod = Duration.ZERO;
        private final SimulatedDevices devices = new SimulatedDevices();

        private Builder(Path socketPath) {
            this.socketPath = Objects.requireNonNull(socketPath, "socketPath");
            this.vhostSocketDir = socketPath.getParent();
        }

        /** Where vhost controller sockets go (the target's -S option); default: the RPC socket's directory. */
        public Builder vhostSocketDir(Path dir) {
            this.vhostSocketDir = dir;
            return this;
        }

        /**
         * Waits this long before handling what arrived on a connection, like the real target's RPC poller
         * (which makes one call at a time cost about 8 ms there). Zero (the default) answers at once.
         */
        public Builder pollPeriod(Duration period) {
            this.pollPeriod = period;
            return this;
        }

        public Builder blockDevice(String devicePath, Path backingFile) {
            devices.addBlockDevice(devicePath, backingFile);
            return this;
        }

        public Builder nvmeController(String pciAddress, Path backingFile) {
            devices.addNvmeController(pciAddress, backingFile);
            return this;
        }

        public SpdkTargetEmulator build() {
            if (!Files.isDirectory(vhostSocketDir)) {
                throw new IllegalArgumentException("vhost socket directory " + vhostSocketDir + " does not exist");
            }
            return new SpdkTargetEmulator(this);
        }

        /** Builds and starts. */
        public SpdkTargetEmulator start() {
            return build().start();
        }
    }
}
