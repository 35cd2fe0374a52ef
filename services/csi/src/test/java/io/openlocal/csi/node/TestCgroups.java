package io.openlocal.csi.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A kubelet cgroup root of a test's own in the host's real cgroup v1 blkio hierarchy
 * ({@code /sys/fs/cgroup/blkio/open-local-test-<pid>-<n>}), so pods' cgroups can be made without touching the
 * host's {@code kubepods}. Cgroups are removed (children first) on close; those of dead test JVMs are swept
 * when the next one starts.
 */
public final class TestCgroups implements AutoCloseable {

    public static final Path MOUNT = Path.of("/sys/fs/cgroup");
    private static final Path BLKIO = MOUNT.resolve("blkio");
    private static final String PREFIX = "open-local-test-";

    private final String root;

    private TestCgroups(String root) {
        this.root = root;
    }

    /** Whether this host has the cgroup v1 blkio throttling these tests write to. */
    public static boolean available() {
        return Files.exists(BLKIO.resolve("blkio.throttle.read_bps_device"));
    }

    public static TestCgroups create() {
        sweep();
        String name = PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            Files.createDirectory(BLKIO.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCgroups("/" + name);
    }

    /** The kubelet cgroup root to configure ({@code /open-local-test-...}). */
    public String kubeletRoot() {
        return root;
    }

    /** Makes the cgroup of a pod as kubelet's cgroupfs driver lays it out. */
    public Path pod(String qos, String uid) {
        Path dir = BLKIO.resolve(root.substring(1)).resolve("kubepods");
        if (!qos.isEmpty()) {
            dir = dir.resolve(qos);
        }
        dir = dir.resolve("pod" + uid);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        remove(BLKIO.resolve(root.substring(1)));
    }

    private static void sweep() {
        try (Stream<Path> entries = Files.list(BLKIO)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                String rest = dir.getFileName().toString().substring(PREFIX.length());
                long pid = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    remove(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** cgroup directories go with rmdir, deepest first (their control files cannot be deleted). */
    private static void remove(Path top) {
        if (!Files.isDirectory(top)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(top)) {
            List<Path> dirs = walk.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount)
                    .reversed()).toList();
            for (Path dir : dirs) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
