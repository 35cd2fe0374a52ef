package io.openlocal.bench.csi;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.ControllerGrpc;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.IdentityGrpc;
import io.openlocal.csi.v1.NodeGrpc;
import io.openlocal.csi.v1.NodePublishVolumeRequest;
import io.openlocal.csi.v1.NodeStageVolumeRequest;
import io.openlocal.csi.v1.NodeUnpublishVolumeRequest;
import io.openlocal.csi.v1.NodeUnstageVolumeRequest;
import io.openlocal.csi.v1.ProbeRequest;
import io.openlocal.csi.v1.Volume;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.testinfra.csi.UnixChannels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cost of the CSI plugin over the tools it drives. One run times the whole life of a Device volume on a loop
 * device through the plugin's CSI socket (CreateVolume, NodeStage with mkfs and mount, NodePublish with a bind
 * mount, NodeUnpublish, NodeUnstage, DeleteVolume with the signature wipe), and the same steps done with the raw
 * tools on a second loop device of the same size (blkid, mkfs.ext4, mount, mount --bind, umount, umount, wipefs),
 * alternating, and reports per-step medians and the ratio plugin/raw.
 *
 * <p>The plugin is the real thing: {@code open-local standalone} started as its own process from the launcher
 * jar (build it with {@code bin/open-local version}). Needs root. Not a test: run it by hand,
 * {@code java -cp bench/target/benchmarks.jar io.openlocal.bench.csi.CsiLifecycleBench [iterations]}.
 */
public final class CsiLifecycleBench {

    private static final long SIZE = 256L << 20;
    private static final String[] STEPS = {"create", "stage", "publish", "unpublish", "unstage", "delete"};
    private static final VolumeCapability MOUNT = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
            .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)).build();

    private final CommandRunner runner = ProcessCommandRunner.standard();
    private final Path dir;

    private CsiLifecycleBench(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("CsiLifecycleBench needs root (loop devices, mkfs, mount)");
            System.exit(2);
        }
        Path jar = findLauncherJar();
        Path dir = Files.createDirectories(Path.of("/var/tmp/open-local-bench-" + ProcessHandle.current().pid()));
        try {
            new CsiLifecycleBench(dir).run(jar, iterations);
        } finally {
            unmountUnder(dir);
            deleteTree(dir);
        }
    }

    /** A run that failed mid-way may leave raw mounts; never delete through a mounted filesystem. */
    private static void unmountUnder(Path dir) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(dir.toString())) {
                targets.add(target);
            }
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        CommandRunner runner = ProcessCommandRunner.standard();
        for (String target : targets) {
            runner.run(Command.of("umount", "--lazy", target));
        }
    }

    private void run(Path jar, int iterations) throws Exception {
        Path stateDir = dir.resolve("state");
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, """
                node:
                  name: bench
                http:
                  port: 0
                pools:
                  devices:
                    - size: 256Mi
                      mediaType: ssd
                """);
        Path socket = stateDir.resolve("csi/csi.sock");
        Process plugin = new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "standalone", "--config",
                config.toString(), "--state-dir", stateDir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("plugin.log").toFile()).start();
        String rawLoop = null;
        try (UnixChannels channels = waitForPlugin(plugin, socket)) {
            rawLoop = attachRawLoop();
            Path kubelet = stateDir.resolve("kubelet");
            Map<String, List<Long>> pluginTimes = new LinkedHashMap<>();
            Map<String, List<Long>> rawTimes = new LinkedHashMap<>();
            for (String step : STEPS) {
                pluginTimes.put(step, new ArrayList<>());
                rawTimes.put(step, new ArrayList<>());
            }
            int warmUp = 2;
            for (int i = 0; i < warmUp + iterations; i++) {
                Map<String, Long> p = pluginLifecycle(channels, kubelet, i);
                Map<String, Long> r = rawLifecycle(rawLoop, i);
                if (i >= warmUp) {
                    p.forEach((k, v) -> pluginTimes.get(k).add(v));
                    r.forEach((k, v) -> rawTimes.get(k).add(v));
                }
            }
            report(pluginTimes, rawTimes, iterations);
        } finally {
            if (rawLoop != null) {
                runner.run(Command.of("losetup", "--detach", rawLoop));
            }
            plugin.destroy(); // SIGTERM: the standalone removes its loops, mounts and files
            if (!plugin.waitFor(60, TimeUnit.SECONDS)) {
                plugin.destroyForcibly();
            }
        }
    }

    private UnixChannels waitForPlugin(Process plugin, Path socket) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!plugin.isAlive()) {
                throw new IllegalStateException("open-local standalone exited: " + Files.readString(dir.resolve(
                        "plugin.log")));
            }
            if (Files.exists(socket)) {
                UnixChannels channels = UnixChannels.open(socket);
                try {
                    IdentityGrpc.newBlockingStub(channels.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .probe(ProbeRequest.getDefaultInstance());
                    return channels;
                } catch (RuntimeException notYet) {
                    channels.close();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("open-local standalone did not answer on " + socket + " within 60 s");
    }

    private Map<String, Long> pluginLifecycle(UnixChannels channels, Path kubelet, int i) throws IOException {
        var controller = ControllerGrpc.newBlockingStub(channels.channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
        var node = NodeGrpc.newBlockingStub(channels.channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
        Path staging = Files.createDirectories(kubelet.resolve("staging/bench-" + i));
        Path target = kubelet.resolve("pods/bench-" + i + "/mount");
        Files.createDirectories(target.getParent());
        Map<String, Long> times = new LinkedHashMap<>();
        long t = System.nanoTime();
        Volume volume = controller.createVolume(CreateVolumeRequest.newBuilder().setName("bench-" + i)
                .putParameters("volumeType", "Device").setCapacityRange(CapacityRange.newBuilder()
                        .setRequiredBytes(SIZE)).addVolumeCapabilities(MOUNT).build()).getVolume();
        t = lap(times, "create", t);
        node.nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setVolumeCapability(MOUNT).build());
        t = lap(times, "stage", t);
        node.nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setTargetPath(target.toString())
                .setVolumeCapability(MOUNT).build());
        t = lap(times, "publish", t);
        node.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setTargetPath(target.toString()).build());
        t = lap(times, "unpublish", t);
        node.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).build());
        t = lap(times, "unstage", t);
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId()).build());
        lap(times, "delete", t);
        return times;
    }

    /** The same work with the tools alone, on a loop of the same size, without any of the plugin's checks. */
    private Map<String, Long> rawLifecycle(String loop, int i) throws IOException {
        Path staging = Files.createDirectories(dir.resolve("raw/staging-" + i));
        Path target = Files.createDirectories(dir.resolve("raw/target-" + i));
        Map<String, Long> times = new LinkedHashMap<>();
        long t = System.nanoTime();
        run("blkid", "-p", loop); // "create": make sure the disk is blank (exit 2 = nothing found)
        t = lap(times, "create", t);
        run("mkfs.ext4", "-q", loop).orThrow();
        run("mount", "-t", "ext4", loop, staging.toString()).orThrow();
        t = lap(times, "stage", t);
        run("mount", "--bind", staging.toString(), target.toString()).orThrow();
        t = lap(times, "publish", t);
        run("umount", target.toString()).orThrow();
        t = lap(times, "unpublish", t);
        run("umount", staging.toString()).orThrow();
        t = lap(times, "unstage", t);
        run("wipefs", "--all", loop).orThrow();
        lap(times, "delete", t);
        return times;
    }

    private String attachRawLoop() throws IOException {
        Path file = dir.resolve("raw.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SIZE);
        }
        return run("losetup", "--find", "--show", file.toString()).orThrow().stdout().strip();
    }

    private CommandResult run(String... argv) {
        return runner.run(Command.of(argv).withTimeout(Duration.ofMinutes(2)));
    }

    private static long lap(Map<String, Long> times, String step, long start) {
        long now = System.nanoTime();
        times.put(step, now - start);
        return now;
    }

    private static void report(Map<String, List<Long>> plugin, Map<String, List<Long>> raw, int iterations) {
        System.out.printf(Locale.ROOT, "Device volume lifecycle on a 256 MiB loop, median of %d runs (after 2 warm-up)%n",
                iterations);
        System.out.printf(Locale.ROOT, "%-10s %12s %12s %8s%n", "step", "plugin ms", "raw ms", "ratio");
        long pluginTotal = 0;
        long rawTotal = 0;
        for (String step : STEPS) {
            long p = median(plugin.get(step));
            long r = median(raw.get(step));
            pluginTotal += p;
            rawTotal += r;
            System.out.printf(Locale.ROOT, "%-10s %12.1f %12.1f %8.2f%n", step, p / 1e6, r / 1e6,
                    r == 0 ? Double.NaN : (double) p / r);
        }
        System.out.printf(Locale.ROOT, "%-10s %12.1f %12.1f %8.2f%n", "total", pluginTotal / 1e6, rawTotal / 1e6,
                (double) pluginTotal / rawTotal);
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static Path findLauncherJar() {
        String configured = System.getProperty("openlocal.launcher.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("services/launcher/target/open-local.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("services/launcher/target/open-local.jar not found: build it with "
                + "`bin/open-local version`, or pass -Dopenlocal.launcher.jar=PATH");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
