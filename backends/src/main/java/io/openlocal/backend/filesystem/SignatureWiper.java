package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.progress.ProgressSteps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Erases every signature (filesystem, RAID, LVM, partition table) from a device with {@code wipefs --all}, so
 * the device probes blank again. The data blocks are not overwritten.
 *
 * <p>This class does not know who owns a device. Callers must have proven the device is theirs (a claim
 * record) before calling: it refuses only devices that are in use right now.
 */
public final class SignatureWiper {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final CommandRunner runner;
    private final BlockProbe probe;
    private final Duration timeout;

    public SignatureWiper(CommandRunner runner, BlockProbe probe, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Wipes the partitions' signatures, then the device's own, then checks that it probes blank.
     *
     * @return true if there was anything to wipe
     * @throws StorageException.Busy the device, a partition or its node is mounted, or a holder sits on it
     */
    public boolean wipeAll(String device) {
        try (ProgressSteps steps = ProgressSteps.begin(Progress.NONE, "wiping " + device)) {
            return wipeAll(device, steps);
        }
    }

    /**
     * As {@link #wipeAll(String)}, reporting each wipefs run and the final check as steps of the caller's
     * operation: {@code wiping /dev/sdb1: signatures}, {@code wiping /dev/sdb: signatures}, {@code checking /dev/sdb
     * is blank}. Nothing is reported for a device that is blank already.
     */
    public boolean wipeAll(String device, ProgressSteps steps) {
        DeviceUse use = probe.inspect(device);
        if (use.isActive()) {
            throw new StorageException.Busy("device " + device + " is in use (" + String.join("; ", use.reasons())
                    + "); refusing to wipe it");
        }
        if (use.isFree()) {
            return false;
        }
        // Partitions first: once the table is gone their nodes are gone, and signatures inside them would come
        // back if the same table were written again.
        List<Path> partitions = use.partitions().stream().map(p -> Path.of("/dev", p)).filter(Files::exists).toList();
        steps.plan(partitions.size() + 2);
        for (Path partition : partitions) {
            steps.step("wiping " + partition + ": signatures");
            wipe(partition.toString());
        }
        steps.step("wiping " + use.node().path() + ": signatures");
        wipe(use.node().path());
        steps.step("checking " + use.node().path() + " is blank");
        BlockContent after = probe.probe(use.node().path());
        if (!after.isBlank()) {
            throw new StorageException.Internal("after wipefs --all, " + device + " still shows " + after.describe());
        }
        return true;
    }

    private void wipe(String path) {
        CommandResult result = runner.run(new Command(List.of("wipefs", "--all", "--", path), timeout, Map.of()));
        if (!result.succeeded()) {
            throw new StorageException.Unavailable("wiping signatures of " + path + " failed: " + result.describe());
        }
    }
}
