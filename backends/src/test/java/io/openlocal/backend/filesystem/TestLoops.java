package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Loop devices for this module's own tests. The shared harness (test-infra's LoopDevices) depends on this
 * module, so it cannot be used here; this is the minimum of it: sparse files, losetup, and after each test
 * unmount everything under the test's directories and of its loops, detach, delete. It takes the same
 * host-wide lock file as the shared harness so test JVMs of different modules never touch loops at once.
 */
final class TestLoops implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Path HOST_LOCK = Path.of("/var/tmp/open-local-test-loops/host.lock");
    private static final ProcessCommandRunner RUNNER = ProcessCommandRunner.standard();

    record Loop(String path, Path file) {
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final List<Loop> loops = new CopyOnWriteArrayList<>();
    private final List<Path> dirs = new CopyOnWriteArrayList<>();
    private Path runDir;
    private FileChannel lockChannel;
    private FileLock lock;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "loop devices need root; these tests are skipped (the parsers are unit-tested separately)");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/loop-control")), "no loop driver (/dev/loop-control)");
        Files.createDirectories(HOST_LOCK.getParent());
        lockChannel = FileChannel.open(HOST_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.lock();
        runDir = Files.createTempDirectory(Path.of("/var/tmp"), "open-local-fs-test-");
        // A JVM stopped between tests (SIGTERM, a surefire timeout) still takes its loops down.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cleanUp();
            } catch (RuntimeException ignored) {
                // Nothing more can be done at exit.
            }
        }, "test-loops-cleanup"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cleanUp();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            cleanUp();
            deleteTree(runDir);
        } finally {
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
        }
    }

    Loop create(long sizeBytes) {
        Path file = runDir.resolve("disk-" + System.nanoTime() + ".img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandResult result = run("losetup", "--find", "--show", file.toString());
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
        Loop loop = new Loop(result.stdout().strip(), file);
        loops.add(loop);
        return loop;
    }

    /** Grows the loop's file and tells the kernel (losetup -c). */
    void grow(Loop loop, long newSizeBytes) {
        try (RandomAccessFile raf = new RandomAccessFile(loop.file().toFile(), "rw")) {
            raf.setLength(newSizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandResult result = run("losetup", "-c", loop.path());
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
    }

    Path directory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(runDir, prefix);
            dirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CommandResult run(String... argv) {
        return RUNNER.run(Command.of(argv).withTimeout(Duration.ofSeconds(60)));
    }

    private void cleanUp() {
        List<String> problems = new ArrayList<>();
        MountTable table = MountTable.read();
        List<Path> targets = new ArrayList<>();
        for (MountEntry entry : table.entries()) {
            boolean underOurs = dirs.stream().anyMatch(d -> entry.target().startsWith(d));
            boolean ofOurLoop = loops.stream().anyMatch(l -> entry.source().equals(l.path()));
            if (underOurs || ofOurLoop) {
                targets.add(entry.target());
            }
        }
        targets.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path target : targets) {
            CommandResult result = run("umount", "--lazy", target.toString());
            if (!result.succeeded() && !result.stderr().contains("not mounted")) {
                problems.add(result.describe());
            }
        }
        for (Loop loop : loops) {
            CommandResult result = run("losetup", "--detach", loop.path());
            if (!result.succeeded()) {
                problems.add(result.describe());
            }
            try {
                Files.deleteIfExists(loop.file());
            } catch (IOException e) {
                problems.add(e.toString());
            }
        }
        loops.clear();
        dirs.forEach(TestLoops::deleteTree);
        dirs.clear();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("loop clean-up failed: " + problems);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a lazily unmounted directory may still be busy for a moment.
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // As above.
        }
    }
}
