package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Bytes and inodes of mounted filesystems from statfs(2), through {@code stat --file-system} with a numeric
 * format of our own (one line of six numbers per path), so any number of paths cost one process.
 */
public final class FilesystemStats {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** fragment size, total blocks, free blocks, blocks free to users, total inodes, free inodes. */
    private static final String FORMAT = "%S %b %f %a %c %d";

    private final CommandRunner runner;
    private final Duration timeout;

    public FilesystemStats(CommandRunner runner) {
        this(runner, DEFAULT_TIMEOUT);
    }

    public FilesystemStats(CommandRunner runner, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Figures for the filesystem holding {@code path}.
     *
     * @throws StorageException.NotFound the path does not exist
     */
    public FsUsage of(Path path) {
        return ofAll(List.of(path)).get(path);
    }

    /** Figures for several paths with one process, in the order given. */
    public Map<Path, FsUsage> ofAll(Collection<Path> paths) {
        Map<Path, FsUsage> results = new LinkedHashMap<>();
        if (paths.isEmpty()) {
            return results;
        }
        List<String> argv = new ArrayList<>(List.of("stat", "--file-system", "--format=" + FORMAT, "--"));
        List<Path> checked = new ArrayList<>();
        for (Path path : paths) {
            checked.add(TargetPaths.requireAllowingRoot("path", path));
            argv.add(path.toString());
        }
        CommandResult result = runner.run(new Command(argv, timeout, Map.of()));
        if (!result.succeeded()) {
            if (result.stderr().contains("No such file or directory")) {
                throw new StorageException.NotFound("path: " + result.describe());
            }
            throw result.failure();
        }
        String[] lines = result.stdout().split("\n");
        if (lines.length != checked.size()) {
            throw new StorageException.Internal("stat printed " + lines.length + " lines for " + checked.size()
                    + " paths: " + result.stdout().strip());
        }
        for (int i = 0; i < lines.length; i++) {
            results.put(checked.get(i), parse(lines[i]));
        }
        return results;
    }

    static FsUsage parse(String line) {
        String[] f = line.strip().split(" ");
        if (f.length != 6) {
            throw new StorageException.Internal("unexpected stat --file-system line: '" + line + "'");
        }
        try {
            long fragment = Long.parseLong(f[0]);
            long blocks = Long.parseLong(f[1]);
            long free = Long.parseLong(f[2]);
            long available = Long.parseLong(f[3]);
            long inodes = Long.parseLong(f[4]);
            long freeInodes = Long.parseLong(f[5]);
            return new FsUsage(Math.multiplyExact(blocks, fragment),
                    Math.multiplyExact(Math.max(0, blocks - free), fragment),
                    Math.multiplyExact(available, fragment), inodes, Math.max(0, inodes - freeInodes), freeInodes);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new StorageException.Internal("unexpected stat --file-system line: '" + line + "'", e);
        }
    }
}
