package io.openlocal.launcher.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loop devices on sparse files under one directory: made for standalone pools, and found again by their backing
 * files after a crash (so no record is needed to clean them up).
 */
final class LoopFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A loop device and its backing file. */
    record Loop(String device, Path file) {
        String kernelName() {
            return device.substring(device.lastIndexOf('/') + 1);
        }
    }

    private final CommandRunner runner;
    private final Path dir;

    LoopFiles(CommandRunner runner, Path dir) {
        this.runner = runner;
        this.dir = dir;
    }

    /** Makes a sparse file of {@code sizeBytes} and attaches a loop device to it. */
    Loop create(String fileName, long sizeBytes, boolean solidState) {
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(sizeBytes);
            }
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot make backing file " + file + ": " + e.getMessage(), e);
        }
        CommandResult attached = run("losetup", "--find", "--show", "--", file.toString()).orThrow();
        Loop loop = new Loop(attached.stdout().strip(), file);
        Path flag = Path.of("/sys/block", loop.kernelName(), "queue", "rotational");
        try {
            // What the kernel reports as the media type: 0 is an SSD, 1 a spinning disk.
            Files.writeString(flag, solidState ? "0" : "1");
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot set " + flag + ": " + e.getMessage(), e);
        }
        return loop;
    }

    /** Loops whose backing file lies in this directory, from losetup's JSON listing. */
    List<Loop> attached() {
        CommandResult result = run("losetup", "--list", "--json", "--output", "NAME,BACK-FILE");
        List<Loop> loops = new ArrayList<>();
        if (!result.succeeded() || result.stdout().isBlank()) {
            return loops;
        }
        try {
            for (JsonNode node : JSON.readTree(result.stdout()).path("loopdevices")) {
                String backing = node.path("back-file").asText().replace(" (deleted)", "");
                if (!backing.isEmpty() && Path.of(backing).startsWith(dir)) {
                    loops.add(new Loop(node.path("name").asText(), Path.of(backing)));
                }
            }
        } catch (IOException e) {
            throw new StorageException.Internal("cannot read losetup's listing: " + e.getMessage(), e);
        }
        return loops;
    }

    /** Detaches a loop and deletes its file; a loop already gone is fine. */
    void remove(Loop loop) {
        CommandResult result = run("losetup", "--detach", loop.device());
        if (!result.succeeded() && !result.stderr().contains("No such device")) {
            throw result.failure();
        }
        try {
            Files.deleteIfExists(loop.file());
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot delete " + loop.file() + ": " + e.getMessage(), e);
        }
    }

    private CommandResult run(String... argv) {
        return runner.run(Command.of(argv).withTimeout(TIMEOUT));
    }
}
