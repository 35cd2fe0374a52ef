package io.openlocal.testinfra.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that makes loop devices on sparse files and always takes them down again.
 *
 * <p>Use it as a static field: {@code @RegisterExtension static final LoopDevices loops = new LoopDevices();}
 * then {@code loops.create(256 * MiB)} inside a test. After each test every loop it made is unmounted
 * (including bind mounts of it), detached and its file deleted, whether the test passed or not.
 *
 * <p>Safe across processes and crashes:
 * <ul>
 *   <li>Backing files live in {@value #ROOT}/&lt;pid&gt;-&lt;start&gt;/. On first use a JVM removes what
 *       dead JVMs left there (unmount, detach, delete), so a killed test run is cleaned by the next.</li>
 *   <li>A host-wide file lock ({@value #ROOT}/host.lock) is held from the first test class using the
 *       extension until the last one ends, so two test JVMs never scan or change loops, VGs and mounts at
 *       the same time; tests that use loop devices may run in any order.</li>
 *   <li>A shutdown hook cleans this JVM's directory on normal exit and on SIGTERM.</li>
 * </ul>
 * Where loop devices cannot be made (not root, no loop driver), tests using it are skipped with that reason.
 */
public final class LoopDevices implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    public static final String ROOT = "/var/tmp/open-local-test-loops";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CommandRunner RUNNER = ProcessCommandRunner.standard();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Object HOST_LOCK_GUARD = new Object();
    private static int hostLockHolders;
    private static FileChannel hostLockChannel;
    private static FileLock hostLock;
    private static Path runDir;
    private static String unavailableReason;

    private final List<LoopDevice> created = new CopyOnWriteArrayList<>();
    private final List<Path> scratch = new CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        String reason = initialise();
        Assumptions.assumeTrue(reason == null, () -> "loop devices are not available here: " + reason);
        acquireHostLock();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cleanUp();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cleanUp();
        releaseHostLock();
    }

    /** Makes a loop device of {@code sizeBytes} on a new sparse file. */
    public LoopDevice create(long sizeBytes) {
        Path file = runDir.resolve("disk-" + System.nanoTime() + ".img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandResult result = run("losetup", "--find", "--show", file.toString());
        if (!result.succeeded()) {
            deleteQuietly(file);
            throw new IllegalStateException(result.describe());
        }
        LoopDevice device = new LoopDevice(result.stdout().strip(), file, sizeBytes);
        created.add(device);
        return device;
    }

    /** Makes a loop device that reports itself as an SSD (rotational = 0) or an HDD. */
    public LoopDevice create(long sizeBytes, boolean solidState) {
        LoopDevice device = create(sizeBytes);
        Path flag = Path.of("/sys/block", device.name(), "queue", "rotational");
        try {
            Files.writeString(flag, solidState ? "0" : "1");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + flag, e);
        }
        return device;
    }

    /** A fresh empty directory for this test (mount targets, state files); removed after the test. */
    public Path directory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(runDir, prefix);
            scratch.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loop devices made so far in this test. */
    public List<LoopDevice> created() {
        return List.copyOf(created);
    }

    /** Takes down everything this extension made so far. Called after each test; tests may call it early. */
    public void cleanUp() {
        List<String> problems = new ArrayList<>();
        for (LoopDevice device : created) {
            problems.addAll(takeDown(device.path(), device.backingFile()));
        }
        created.clear();
        for (Path dir : scratch) {
            unmountUnder(dir, problems);
            deleteTree(dir);
        }
        scratch.clear();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("loop device clean-up failed: " + String.join("; ", problems));
        }
    }

    // ---- process-wide set-up -------------------------------------------------------------------------------

    private static synchronized String initialise() {
        if (runDir != null || unavailableReason != null) {
            return unavailableReason;
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return unavailableReason = "/dev/loop-control is missing (no loop driver)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return unavailableReason = "tests are not running as root";
        }
        try {
            Path root = Files.createDirectories(Path.of(ROOT));
            ProcessHandle self = ProcessHandle.current();
            runDir = Files.createDirectories(root.resolve(self.pid() + "-" + startMillis(self).orElse(0L)));
            withHostLock(() -> removeLeftovers(root));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeRunDir(runDir), "loop-devices-cleanup"));
            return null;
        } catch (IOException e) {
            return unavailableReason = "cannot prepare " + ROOT + ": " + e.getMessage();
        }
    }

    /** Runs the leftover sweep now (the harness does it once per JVM on first use). */
    static void sweepLeftovers() {
        withHostLock(() -> removeLeftovers(Path.of(ROOT)));
    }

    /** Removes the directories of JVMs that are gone (killed test runs), with their loops and mounts. */
    private static void removeLeftovers(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                if (!isOwnerAlive(dir.getFileName().toString())) {
                    removeRunDir(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isOwnerAlive(String dirName) {
        String[] parts = dirName.split("-", 2);
        if (parts.length != 2) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[0]);
            long start = Long.parseLong(parts[1]);
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            // A reused pid has another start time: its owner is gone.
            return handle.isPresent() && handle.get().isAlive()
                    && startMillis(handle.get()).map(s -> s == start).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Long> startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(i -> i.toEpochMilli());
    }

    private static void removeRunDir(Path dir) {
        List<String> problems = new ArrayList<>();
        for (String[] loop : attachedLoops()) {
            String device = loop[0];
            String backing = loop[1];
            if (backing.startsWith(dir.toString() + "/")) {
                problems.addAll(takeDown(device, Path.of(backing.replace(" (deleted)", ""))));
            }
        }
        unmountUnder(dir, problems);
        deleteTree(dir);
        if (!problems.isEmpty()) {
            System.err.println("loop-devices: leftovers of " + dir + " not fully removed: " + problems);
        }
    }

    // ---- taking a device down ------------------------------------------------------------------------------

    private static List<String> takeDown(String device, Path backingFile) {
        List<String> problems = new ArrayList<>();
        // Deepest mount points first, so bind mounts of a mount go before it.
        List<String> targets = mountsOf(device);
        for (String target : targets) {
            CommandResult result = run("umount", target);
            if (!result.succeeded()) {
                CommandResult lazy = run("umount", "--lazy", target);
                if (!lazy.succeeded()) {
                    problems.add(lazy.describe());
                }
            }
        }
        CommandResult detach = run("losetup", "--detach", device);
        if (!detach.succeeded() && !detach.stderr().contains("No such device")) {
            problems.add(detach.describe());
        }
        deleteQuietly(backingFile);
        return problems;
    }

    private static void unmountUnder(Path dir, List<String> problems) {
        for (String target : mountTargets(fields -> Path.of(fields.target).startsWith(dir))) {
            CommandResult result = run("umount", "--lazy", target);
            if (!result.succeeded()) {
                problems.add(result.describe());
            }
        }
    }

    /** Mount points whose source is the device, deepest first. */
    private static List<String> mountsOf(String device) {
        return mountTargets(fields -> fields.source.equals(device));
    }

    private record MountFields(String source, String target) {
    }

    private static List<String> mountTargets(java.util.function.Predicate<MountFields> filter) {
        List<String> targets = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // id parent major:minor root target options [optional...] - fstype source superoptions
                String[] left = line.split(" - ", 2);
                if (left.length != 2) {
                    continue;
                }
                String[] a = left[0].split(" ");
                String[] b = left[1].split(" ");
                if (a.length < 5 || b.length < 2) {
                    continue;
                }
                var fields = new MountFields(unescape(b[1]), unescape(a[4]));
                if (filter.test(fields)) {
                    targets.add(fields.target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        return targets;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** Attached loops as [device, backing file], from losetup's JSON listing. */
    private static List<String[]> attachedLoops() {
        CommandResult result = run("losetup", "--list", "--json", "--output", "NAME,BACK-FILE");
        List<String[]> loops = new ArrayList<>();
        if (!result.succeeded() || result.stdout().isBlank()) {
            return loops;
        }
        try {
            JsonNode devices = JSON.readTree(result.stdout()).path("loopdevices");
            for (JsonNode node : devices) {
                loops.add(new String[] {node.path("name").asText(), node.path("back-file").asText()});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read losetup output", e);
        }
        return loops;
    }

    // ---- host lock -----------------------------------------------------------------------------------------

    private static void acquireHostLock() {
        synchronized (HOST_LOCK_GUARD) {
            if (hostLockHolders++ == 0) {
                try {
                    hostLockChannel = FileChannel.open(Path.of(ROOT, "host.lock"), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    hostLock = hostLockChannel.lock();
                } catch (IOException e) {
                    hostLockHolders--;
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void releaseHostLock() {
        synchronized (HOST_LOCK_GUARD) {
            if (--hostLockHolders == 0) {
                try {
                    hostLock.release();
                    hostLockChannel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void withHostLock(Runnable action) {
        acquireHostLock();
        try {
            action.run();
        } finally {
            releaseHostLock();
        }
    }

    // ---- small helpers -------------------------------------------------------------------------------------

    private static CommandResult run(String... argv) {
        return RUNNER.run(Command.of(argv).withTimeout(TIMEOUT));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort; the next run's leftover sweep tries again.
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(LoopDevices::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort, as above.
        }
    }
}
