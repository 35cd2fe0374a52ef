package io.openlocal.csi;

import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.PoolChooser;
import io.openlocal.csi.server.CallMetrics;
import io.openlocal.csi.server.CsiServer;
import io.openlocal.csi.volume.BackendNames;
import io.openlocal.testinfra.loop.LoopDevice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A standalone plugin on loop devices for tests: one LVM VG on a loop, exclusive loop devices (half ssd, half
 * hdd), the real backends, the CSI server on a unix socket, and a client over that socket.
 */
public final class PluginFixture implements AutoCloseable {

    public static final String NODE = "test-node";

    public final CommandRunner runner = ProcessCommandRunner.standard();
    public final Path root;
    public final Path kubeletDir;
    public final Path stateDir;
    public final Path socket;
    public final String vg;
    public final List<LoopDevice> devices = new ArrayList<>();
    public final LoopDevice vgLoop;
    public final LocalNodeStorage storage;
    public final CsiServer server;
    public final CsiClient client;
    private final Map<PoolType, Backend> backends;

    public PluginFixture(ClassScopedLoops loops, int deviceCount, long deviceBytes, long vgBytes) {
        this(loops, deviceCount, deviceBytes, vgBytes, java.util.function.UnaryOperator.identity());
    }

    /** @param nodeRunner wraps the runner the CSI node service uses (tests that must hold a command mid-way) */
    public PluginFixture(ClassScopedLoops loops, int deviceCount, long deviceBytes, long vgBytes,
                         java.util.function.UnaryOperator<CommandRunner> nodeRunner) {
        root = loops.directory("csi-");
        kubeletDir = root.resolve("kubelet");
        stateDir = root.resolve("state");
        socket = root.resolve("csi.sock");
        vg = "oltest" + UUID.randomUUID().toString().substring(0, 6);
        try {
            Files.createDirectories(kubeletDir);
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < deviceCount; i++) {
            devices.add(loops.create(deviceBytes, i % 2 == 0));
        }
        vgLoop = loops.create(vgBytes, true);
        String include = "^(" + devices.stream().map(LoopDevice::name).collect(Collectors.joining("|")) + ")$";
        BackendRegistry registry = BackendRegistry.load();
        backends = new EnumMap<>(PoolType.class);
        backends.put(PoolType.DEVICE, registry.create(PoolType.DEVICE, new BackendContext(NODE, runner,
                stateDir.resolve("device"), Map.of("device.include", include))));
        backends.put(PoolType.LVM, registry.create(PoolType.LVM, new BackendContext(NODE, runner,
                stateDir.resolve("lvm"), Map.of())));
        backends.get(PoolType.LVM).initPool(new PoolSpec(vg, PoolType.LVM, List.of(vgLoop.path()), false, Map.of()));
        Set<String> devicePaths = devices.stream().map(LoopDevice::path).collect(Collectors.toSet());
        storage = new LocalNodeStorage(NODE, backends, stateDir, new PoolChooser(PoolChooser.Strategy.BINPACK),
                Clock.systemUTC(), (PoolInfo p) -> p.type() == PoolType.LVM ? p.name().equals(vg)
                : devicePaths.contains(p.name()), BackendNames.standard());
        CsiSettings settings = new CsiSettings("local.csi.aliyun.com", "test", NODE, "kubernetes.io/hostname",
                kubeletDir, 0, 64 * Sizes.MiB);
        server = CsiServer.start(socket, CsiServices.standalone(settings, storage, nodeRunner.apply(runner)),
                new CallMetrics(new SimpleMeterRegistry()));
        client = CsiClient.connect(socket, 120);
    }

    public Map<String, String> deviceParameters() {
        return Map.of("volumeType", "Device");
    }

    public Map<String, String> lvmParameters() {
        return Map.of("volumeType", "LVM", "vgName", vg);
    }

    /** Signatures of the loops, LVs of the VG, mounts under the kubelet dir and the plugin's state files. */
    public String diskState() {
        StringBuilder state = new StringBuilder();
        List<String> paths = new ArrayList<>(devices.stream().map(LoopDevice::path).toList());
        paths.add(vgLoop.path());
        List<String> argv = new ArrayList<>(List.of("lsblk", "--json", "--output", "PATH,FSTYPE,UUID,SIZE"));
        argv.addAll(paths);
        state.append(runner.run(Command.of(argv)).stdout());
        state.append(runner.run(Command.of("lvs", "--reportformat", "json", "-o", "lv_name,lv_size", vg)).stdout());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                if (line.contains(kubeletDir.toString())) {
                    state.append(line.split(" ", 5)[4]).append('\n');
                }
            }
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted().forEach(p -> state.append(stateDir.relativize(p)).append('\n'));
            }
            try (Stream<Path> files = Files.walk(kubeletDir)) {
                files.sorted().forEach(p -> state.append(kubeletDir.relativize(p)).append('\n'));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state.toString();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        // Volumes a failed test left behind: unmount under the kubelet dir is done by the loop harness; LVs go
        // with the VG.
        runner.run(Command.of("vgremove", "--force", "--yes", vg));
        runner.run(Command.of("pvremove", "--force", "--yes", vgLoop.path()));
        backends.values().forEach(Backend::close);
    }
}
