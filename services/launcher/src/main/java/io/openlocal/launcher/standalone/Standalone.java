package io.openlocal.launcher.standalone;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ObservedCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.config.standalone.StandaloneConfig;
import io.openlocal.csi.CsiServices;
import io.openlocal.csi.CsiSettings;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.SnapshotSpaceKeeper;
import io.openlocal.csi.nodeapi.PoolChooser;
import io.openlocal.csi.server.CallMetrics;
import io.openlocal.csi.server.CsiServer;
import io.openlocal.csi.server.HttpEndpoints;
import io.openlocal.csi.server.UnixSocket;
import io.openlocal.csi.volume.BackendNames;
import io.openlocal.kube.OpenLocalNames;
import io.openlocal.observe.metrics.CommandMetrics;
import io.openlocal.observe.progress.ProgressLog;
import io.openlocal.observe.progress.ThrottledProgress;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Standalone mode: pools on loop devices, the backends, the node API in process, and the CSI Identity,
 * Controller and Node services on one unix socket, plus health and metrics over HTTP. {@link #start} cleans up
 * what a crashed earlier run left in the state directory first; {@link #close} takes down everything this run
 * made (mounts, volume groups, loops, backing files).
 */
public final class Standalone implements AutoCloseable {

    private static final Logger PROGRESS_LOG = Logger.getLogger("io.openlocal.standalone.progress");

    private final StandaloneConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Cleaner cleaner;
    private final PrometheusMeterRegistry metrics;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<String> pools = new ArrayList<>();
    private final List<String> missingFeatures = new ArrayList<>();
    private String nodeName;
    private Path socket;
    private int httpPort;
    private List<String> leftovers = List.of();

    private Standalone(StandaloneConfig config, FileChannel lockChannel, FileLock lock, Cleaner cleaner,
                       PrometheusMeterRegistry metrics) {
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.cleaner = cleaner;
        this.metrics = metrics;
    }

    /**
     * Starts everything.
     *
     * @param extraRoutes routes other components add to the HTTP listener (the scheduler extender's)
     */
    public static Standalone start(StandaloneConfig config, CommandRunner runner,
                                   Consumer<HttpRouting.Builder> extraRoutes) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new StorageException.Unavailable("standalone mode needs root: it makes loop devices, volume groups, "
                    + "filesystems and mounts (run it with sudo)");
        }
        Path stateDir = config.stateDir();
        FileChannel channel;
        FileLock lock;
        try {
            Files.createDirectories(stateDir);
            Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
            channel = FileChannel.open(stateDir.resolve("standalone.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // this process already runs a standalone there
            }
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot prepare state directory " + stateDir + ": "
                    + e.getMessage(), e);
        }
        if (lock == null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing held.
            }
            throw new StorageException.Busy("another open-local standalone is running with state directory "
                    + stateDir);
        }
        // Every command of this run (losetup, lvm2, mkfs, mount, wipefs) is timed on /metrics.
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CommandRunner observed = new ObservedCommandRunner(runner, new CommandMetrics(metrics));
        LoopFiles loops = new LoopFiles(observed, stateDir.resolve("loops"));
        Standalone standalone = new Standalone(config, channel, lock, new Cleaner(observed, stateDir, loops), metrics);
        try {
            standalone.leftovers = standalone.cleaner.cleanAll();
            standalone.startAll(observed, loops, extraRoutes);
            return standalone;
        } catch (RuntimeException e) {
            standalone.close();
            throw e;
        }
    }

    private void startAll(CommandRunner runner, LoopFiles loops, Consumer<HttpRouting.Builder> extraRoutes) {
        nodeName = config.nodeName().orElseGet(Standalone::hostNodeName);
        Path stateDir = config.stateDir();
        // Pool set-up and disk wipes are logged as they go, at most once per 2 s per operation.
        ThrottledProgress progress = ProgressLog.throttled(PROGRESS_LOG);
        running.add(progress);
        BackendRegistry registry = BackendRegistry.load();
        Map<PoolType, Backend> backends = new EnumMap<>(PoolType.class);
        Set<String> allowed = new HashSet<>();

        if (!config.lvmPools().isEmpty()) {
            Backend lvm = registry.create(PoolType.LVM, new BackendContext(nodeName, runner,
                    stateDir.resolve("backends/lvm"), config.lvmSettings(), progress));
            running.add(lvm);
            backends.put(PoolType.LVM, lvm);
            for (StandaloneConfig.LvmPool pool : config.lvmPools()) {
                LoopFiles.Loop loop = loops.create("lvm-" + pool.name() + ".img", pool.sizeBytes(), true);
                PoolInfo made = lvm.initPool(new PoolSpec(pool.name(), PoolType.LVM, List.of(loop.device()), false,
                        Map.of()));
                allowed.add(made.name());
                pools.add("LVM volume group " + made.name() + " on " + loop.device() + " ("
                        + io.openlocal.backend.naming.Sizes.human(made.capacity().totalBytes()) + ")");
            }
            missingFeatures.addAll(lvm.health().missing());
        }
        if (!config.devices().isEmpty()) {
            List<LoopFiles.Loop> made = new ArrayList<>();
            int index = 0;
            for (StandaloneConfig.Device device : config.devices()) {
                LoopFiles.Loop loop = loops.create("device-" + index++ + ".img", device.sizeBytes(),
                        device.solidState());
                made.add(loop);
                allowed.add(loop.device());
                pools.add("Device " + loop.device() + " (" + io.openlocal.backend.naming.Sizes.human(device.sizeBytes())
                        + ", " + (device.solidState() ? "ssd" : "hdd") + ")");
            }
            String include = "^(" + made.stream().map(LoopFiles.Loop::kernelName).collect(Collectors.joining("|"))
                    + ")$";
            Backend device = registry.create(PoolType.DEVICE, new BackendContext(nodeName, runner,
                    stateDir.resolve("backends/device"), Map.of("device.include", include), progress));
            running.add(device);
            backends.put(PoolType.DEVICE, device);
        }

        String prefix = config.lvmSettings().getOrDefault("lvNamePrefix", "local");
        LocalNodeStorage storage = new LocalNodeStorage(nodeName, backends, stateDir.resolve("records"),
                new PoolChooser(PoolChooser.Strategy.parse(config.strategy())), Clock.systemUTC(),
                pool -> allowed.contains(pool.name()), new BackendNames(prefix));
        CsiSettings settings = new CsiSettings(config.csi().driverName(), Version.text(), nodeName,
                OpenLocalNames.TOPOLOGY_KEY, config.kubeletDir(), config.csi().maxVolumesPerNode(),
                config.csi().defaultVolumeBytes());
        try {
            Files.createDirectories(config.kubeletDir());
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot create " + config.kubeletDir() + ": " + e.getMessage(), e);
        }
        socket = UnixSocket.parseEndpoint(config.endpoint());
        CsiServer csi = CsiServer.start(socket, CsiServices.standalone(settings, storage, runner),
                new CallMetrics(metrics));
        running.add(csi);
        running.add(new SnapshotSpaceKeeper(storage).start(SnapshotSpaceKeeper.PERIOD));
        HttpEndpoints http = HttpEndpoints.start(config.http().host(), config.http().port(), storage::status, metrics,
                extraRoutes);
        running.add(http);
        httpPort = http.port();
    }

    /** This machine's host name when it is a valid node name; else "standalone". */
    static String hostNodeName() {
        try {
            String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().toLowerCase();
            CsiSettings.requireNodeName("node", host);
            return host;
        } catch (IOException | RuntimeException e) {
            return "standalone";
        }
    }

    public String nodeName() {
        return nodeName;
    }

    public Path socket() {
        return socket;
    }

    public Path kubeletDir() {
        return config.kubeletDir();
    }

    public String httpBase() {
        return "http://" + config.http().host() + ":" + httpPort;
    }

    /** The pools made, one line each. */
    public List<String> pools() {
        return List.copyOf(pools);
    }

    /** Kernel features the backends lack here (device-mapper). */
    public List<String> missingFeatures() {
        return List.copyOf(missingFeatures);
    }

    /** What the start-up sweep removed of an earlier run. */
    public List<String> leftoversRemoved() {
        return leftovers;
    }

    /** Stops serving and removes everything this run made; returns what was removed. */
    @Override
    public synchronized void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("open-local: stopping " + running.get(i).getClass().getSimpleName() + ": "
                        + e.getMessage());
            }
        }
        running.clear();
        try {
            for (String line : cleaner.cleanAll()) {
                if (line.startsWith("could not") || line.startsWith("left")) {
                    System.err.println("open-local: " + line);
                }
            }
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                // Released with the process.
            }
        }
    }
}
