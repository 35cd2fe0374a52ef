package io.openlocal.bench.lvm;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import io.openlocal.lvm.LvmBackend;
import io.openlocal.lvm.LvmSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a JMH benchmark: a one-off harness that builds a real VG on a loop device, creates {@code --lvs} LVs
 * (default 500, inactive where device-mapper is missing) through the LVM backend, then times discovery passes
 * (pools, volumes, snapshots, a look-up and usage of every volume) through a counting runner and prints the
 * processes each pass started (must be 1) and its latency. Everything it made is removed in finally.
 *
 * <p>Run as root: {@code java -cp bench/target/benchmarks.jar io.openlocal.bench.lvm.LvmDiscoveryProcessCount
 * [--lvs 500] [--passes 10]}
 */
public final class LvmDiscoveryProcessCount {

    private static final long MiB = 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private LvmDiscoveryProcessCount() {
    }

    public static void main(String[] args) throws IOException {
        int lvCount = intArg(args, "--lvs", 500);
        int passes = intArg(args, "--passes", 10);
        CommandRunner real = ProcessCommandRunner.standard();
        AtomicInteger started = new AtomicInteger();
        List<List<String>> startedArgv = new java.util.concurrent.CopyOnWriteArrayList<>();
        CommandRunner counting = command -> {
            started.incrementAndGet();
            startedArgv.add(command.argv());
            return real.run(command);
        };

        String vg = "olbench" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "open-local-lvm-bench");
        Path file = dir.resolve("disk.img");
        String loop = null;
        boolean deviceMapper = real.run(Command.of("dmsetup", "version")).succeeded();
        try {
            // Sparse: 4 GiB of address space, a few MiB of real blocks (metadata only without device-mapper).
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(4096 * MiB);
            }
            loop = run(real, "losetup", "--find", "--show", file.toString()).stdout().strip();
            LvmBackend backend = new LvmBackend(LvmSettings.from(Map.of(LvmSettings.REPORT_CACHE_TTL_MILLIS, "60000")),
                    counting);
            // Room for the metadata of hundreds of LVs: lvm2 needs about 1 KiB per LV, twice.
            run(real, lvm(deviceMapper, "pvcreate", "--metadatasize", "8m", loop));
            backend.initPool(new PoolSpec(vg, PoolType.LVM, List.of(loop), false, Map.of()));
            System.out.printf(Locale.ROOT, "VG %s on %s (device-mapper %s); creating %d LVs...%n", vg, loop,
                    deviceMapper ? "present" : "absent: LVs inactive, metadata only", lvCount);
            long createStart = System.nanoTime();
            for (int i = 0; i < lvCount; i++) {
                backend.createVolume(VolumeSpec.of(vg, String.format(Locale.ROOT, "local-bench%04d", i), 4 * MiB));
                if ((i + 1) % 100 == 0) {
                    System.out.printf(Locale.ROOT, "  %d LVs, %.1f s%n", i + 1, (System.nanoTime() - createStart) / 1e9);
                }
            }
            System.out.printf(Locale.ROOT, "created %d LVs in %.1f s (%.1f ms each, %d processes)%n", lvCount,
                    (System.nanoTime() - createStart) / 1e9, (System.nanoTime() - createStart) / 1e6 / lvCount,
                    started.get());

            long[] latencies = new long[passes];
            int[] processes = new int[passes];
            for (int pass = 0; pass < passes; pass++) {
                backend.refresh(); // as after the cache's TTL: the pass must read lvm2 again
                started.set(0);
                startedArgv.clear();
                long start = System.nanoTime();
                int volumes = discoveryPass(backend, vg);
                latencies[pass] = System.nanoTime() - start;
                processes[pass] = started.get();
                if (volumes != lvCount) {
                    throw new IllegalStateException("pass saw " + volumes + " volumes, expected " + lvCount);
                }
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "discovery pass over %d LVs: processes per pass %s (argv[0..1] %s)%n",
                    lvCount, Arrays.toString(processes), startedArgv.isEmpty() ? "-"
                            : startedArgv.getFirst().subList(0, 2));
            System.out.printf(Locale.ROOT, "pass latency ms: min %.1f, median %.1f, max %.1f over %d passes%n",
                    sorted[0] / 1e6, sorted[passes / 2] / 1e6, sorted[passes - 1] / 1e6, passes);
            CommandResult report = real.run(new Command(lvm(deviceMapper, "fullreport", "--reportformat", "json"),
                    TIMEOUT, Map.of()));
            System.out.printf(Locale.ROOT, "(a bare 'lvm fullreport' with default columns takes %d ms here)%n",
                    report.elapsedMillis());
        } finally {
            cleanUp(real, deviceMapper, vg, loop, dir, file);
        }
    }

    private static int discoveryPass(LvmBackend backend, String vg) {
        backend.pools();
        backend.pool(vg).orElseThrow();
        List<Volume> volumes = backend.volumes(vg);
        backend.snapshots(vg);
        for (Volume volume : volumes) {
            VolumeRef ref = new VolumeRef(PoolType.LVM, vg, volume.ref().name());
            backend.volume(ref).orElseThrow();
            backend.usage(ref);
        }
        return volumes.size();
    }

    private static void cleanUp(CommandRunner real, boolean deviceMapper, String vg, String loop, Path dir,
                                Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        if (loop != null) {
            CommandResult vgremove = real.run(new Command(lvm(deviceMapper, "vgremove", "-ff", "--yes", vg), TIMEOUT,
                    Map.of()));
            if (!vgremove.succeeded() && !vgremove.stderr().contains("not found")) {
                problems.add(vgremove.describe());
            }
            real.run(new Command(lvm(deviceMapper, "pvremove", "-ff", "--yes", loop), TIMEOUT, Map.of()));
            CommandResult detach = real.run(Command.of("losetup", "--detach", loop));
            if (!detach.succeeded()) {
                problems.add(detach.describe());
            }
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
        Files.deleteIfExists(Path.of("/etc/lvm/backup", vg));
        Path archive = Path.of("/etc/lvm/archive");
        if (Files.isDirectory(archive)) {
            try (var files = Files.list(archive)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(vg + "_")).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        if (!problems.isEmpty()) {
            System.err.println("clean-up problems: " + problems);
        }
    }

    private static List<String> lvm(boolean deviceMapper, String subcommand, String... args) {
        List<String> argv = new ArrayList<>(List.of("lvm", subcommand));
        if (!deviceMapper) {
            argv.addAll(List.of("--driverloaded", "n"));
        }
        argv.addAll(List.of(args));
        return argv;
    }

    private static CommandResult run(CommandRunner runner, List<String> argv) {
        return run(runner, argv.toArray(String[]::new));
    }

    private static CommandResult run(CommandRunner runner, String... argv) {
        CommandResult result = runner.run(new Command(List.of(argv), TIMEOUT, Map.of()));
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
        return result;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
