package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Grows a mounted filesystem to fill its (grown) device: {@code resize2fs} for ext2/3/4, {@code xfs_growfs}
 * for xfs. CSI expands filesystems of staged volumes online; ext can also grow unmounted, xfs cannot.
 */
public final class FilesystemResizer {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final CommandRunner runner;
    private final BlockProbe probe;
    private final FilesystemStats stats;
    private final Supplier<MountTable> mounts;
    private final Duration timeout;

    public FilesystemResizer(CommandRunner runner) {
        this(runner, new BlockProbe(runner), new FilesystemStats(runner), MountTable::read, DEFAULT_TIMEOUT);
    }

    public FilesystemResizer(CommandRunner runner, BlockProbe probe, FilesystemStats stats,
                             Supplier<MountTable> mounts, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Grows the filesystem on {@code device}, mounted at {@code mountPath}, to the device's current size.
     *
     * @throws StorageException.InvalidArgument the device is not mounted at that path, or holds no ext/xfs
     */
    public GrowResult grow(String device, String mountPath) {
        Path target = TargetPaths.require("mountPath", mountPath);
        DeviceNode node = probe.node("device", device);
        Optional<MountEntry> entry = mounts.get().mountAt(target);
        if (entry.isEmpty() || !entry.get().device().equals(node.number())) {
            throw new StorageException.InvalidArgument("mountPath: " + target + " is not a mount of " + device
                    + (entry.map(e -> " (it shows " + e.source() + ")").orElse(" (nothing is mounted there)")));
        }
        BlockContent content = probe.probe(node.path());
        FsType type = content.type().flatMap(FsType::fromBlkid).orElseThrow(() ->
                new StorageException.InvalidArgument("device " + device + " holds " + content.describe()
                        + ", not a filesystem this system can grow"));
        long before = stats.of(target).totalBytes();
        List<String> argv = type.isExt()
                ? List.of("resize2fs", "--", node.path())
                : List.of("xfs_growfs", "--", target.toString());
        CommandResult result = runner.run(new Command(argv, timeout, Map.of()));
        if (!result.succeeded()) {
            String hint = result.stderr().contains("Permission denied to resize")
                    ? " (online ext growth needs the CAP_SYS_RESOURCE capability, which this process lacks)" : "";
            throw new StorageException.Unavailable("growing " + type.fsName() + " on " + device + " failed"
                    + hint + ": " + result.describe());
        }
        return new GrowResult(type, before, stats.of(target).totalBytes());
    }

    /**
     * Grows an ext2/3/4 filesystem that is not mounted: a forced check ({@code e2fsck -f -p}, which resize2fs
     * demands of an unmounted filesystem and which only makes repairs that need no decision), then
     * {@code resize2fs}. xfs cannot grow unmounted.
     *
     * @return the filesystem type grown
     * @throws StorageException.Busy            the device is mounted (grow it online with {@link #grow})
     * @throws StorageException.InvalidArgument it holds xfs or no filesystem
     */
    public FsType growUnmounted(String device) {
        DeviceUse use = probe.inspect(device);
        if (!use.mounts().isEmpty()) {
            throw new StorageException.Busy("device " + device + " is mounted at "
                    + use.mounts().stream().map(m -> m.target().toString()).toList() + "; grow it online");
        }
        FsType type = use.content().type().flatMap(FsType::fromBlkid).orElseThrow(() ->
                new StorageException.InvalidArgument("device " + device + " holds " + use.content().describe()
                        + ", not a filesystem this system can grow"));
        if (!type.isExt()) {
            throw new StorageException.InvalidArgument("device " + device + " holds xfs, which grows only while "
                    + "mounted");
        }
        String path = use.node().path();
        CommandResult check = runner.run(new Command(List.of("e2fsck", "-f", "-p", "--", path), timeout, Map.of()));
        // e2fsck: 0 clean, 1 errors corrected; anything higher needs a person.
        if (check.exitCode() > 1) {
            throw new StorageException.Unavailable("checking " + path + " before growing it failed: "
                    + check.describe());
        }
        CommandResult result = runner.run(new Command(List.of("resize2fs", "--", path), timeout, Map.of()));
        if (!result.succeeded()) {
            throw new StorageException.Unavailable("growing " + type.fsName() + " on " + device + " failed: "
                    + result.describe());
        }
        return type;
    }
}
