package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes filesystems on blank block devices, and only on blank ones: a device with any signature, partition,
 * holder or mount is never formatted. That check is ours alone to make, because {@code mke2fs} run without a
 * terminal overwrites an existing filesystem without asking.
 *
 * <p>Callers serialise calls per device (a device is checked, then formatted).
 */
public final class Formatter {

    /** mkfs of a large disk (with discard of a large SSD) takes minutes, not seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final CommandRunner runner;
    private final BlockProbe probe;
    private final Duration timeout;

    public Formatter(CommandRunner runner) {
        this(runner, new BlockProbe(runner), DEFAULT_TIMEOUT);
    }

    public Formatter(CommandRunner runner, BlockProbe probe, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Formats a blank device.
     *
     * @throws StorageException.Busy            the device or a partition is mounted, or a holder sits on it
     * @throws StorageException.InvalidArgument the device holds any signature or partition (it is left as it is)
     */
    public void format(String device, FsType type, FormatOptions options) {
        Objects.requireNonNull(type, "type");
        options.check(type);
        DeviceUse use = probe.inspect(device);
        requireFree(use);
        makeFilesystem(use.node(), type, options);
    }

    /**
     * Formats the device if it is blank; leaves it alone if it already holds a filesystem of that type (a
     * volume formatted before, for example at an earlier stage of the same volume).
     *
     * @return true if it formatted, false if the filesystem was already there
     * @throws StorageException.InvalidArgument the device holds something else (another filesystem, a partition
     *                                          table, a RAID or LVM signature)
     * @throws StorageException.Busy            the device is blank but in use (mounted node, holders)
     */
    public boolean formatIfBlank(String device, FsType type, FormatOptions options) {
        Objects.requireNonNull(type, "type");
        options.check(type);
        DeviceUse use = probe.inspect(device);
        if (use.content().type().filter(type.fsName()::equals).isPresent() && use.content().ptType().isEmpty()
                && !use.content().ambivalent() && use.partitions().isEmpty()) {
            return false;
        }
        requireFree(use);
        makeFilesystem(use.node(), type, options);
        return true;
    }

    private static void requireFree(DeviceUse use) {
        String device = use.node().path();
        if (!use.content().isBlank() || !use.partitions().isEmpty()) {
            throw new StorageException.InvalidArgument("device " + device + " is not blank ("
                    + String.join("; ", use.reasons()) + "); refusing to format it");
        }
        if (use.isActive()) {
            throw new StorageException.Busy("device " + device + " is in use (" + String.join("; ", use.reasons())
                    + "); refusing to format it");
        }
    }

    private void makeFilesystem(DeviceNode node, FsType type, FormatOptions options) {
        List<String> argv = new ArrayList<>(List.of(type.mkfsProgram(), "-q"));
        options.label().ifPresent(label -> argv.addAll(List.of("-L", label)));
        // No force flag: mkfs.xfs then refuses existing signatures itself, a second guard after ours.
        argv.add("--");
        argv.add(node.path());
        CommandResult result = runner.run(new Command(argv, timeout, Map.of()));
        if (!result.succeeded()) {
            throw new StorageException.Unavailable("formatting " + node.path() + " as " + type.fsName()
                    + " failed: " + result.describe());
        }
        BlockContent made = probe.probe(node.path());
        if (!made.type().filter(type.fsName()::equals).isPresent()) {
            throw new StorageException.Internal("after " + type.mkfsProgram() + " the device " + node.path()
                    + " shows " + made.describe() + " instead of " + type.fsName());
        }
    }
}
