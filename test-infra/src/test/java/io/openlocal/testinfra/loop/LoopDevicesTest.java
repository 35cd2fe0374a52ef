package io.openlocal.testinfra.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LoopDevicesTest {

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    private static final ProcessCommandRunner RUNNER = ProcessCommandRunner.standard();

    @Test
    void createdDeviceIsAttachedAndCleanUpRemovesMountsLoopAndFile() throws Exception {
        LoopDevice device = loops.create(64L << 20, true);
        assertThat(Files.readString(Path.of("/sys/block", device.name(), "queue/rotational")).strip()).isEqualTo("0");
        RUNNER.run(Command.of("mkfs.ext4", "-q", device.path())).orThrow();
        Path target = loops.directory("mnt");
        RUNNER.run(Command.of("mount", device.path(), target.toString())).orThrow();
        Path bind = loops.directory("bind");
        RUNNER.run(Command.of("mount", "--bind", target.toString(), bind.toString())).orThrow();

        loops.cleanUp();

        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(target.toString())
                .doesNotContain(bind.toString());
        assertThat(RUNNER.run(Command.of("losetup", "--list", "--noheadings", "--output", "BACK-FILE")).stdout())
                .doesNotContain(device.backingFile().toString());
        assertThat(device.backingFile()).doesNotExist();
    }

    @Test
    void leftoversOfADeadRunAreRemovedOnTheNextStart() throws Exception {
        // A directory named like a run whose JVM is gone, with an attached and mounted loop in it.
        Path dead = Files.createDirectories(Path.of(LoopDevices.ROOT, "999999999-1"));
        Path file = dead.resolve("disk.img");
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(32L << 20);
        }
        String dev = RUNNER.run(Command.of("losetup", "--find", "--show", file.toString())).orThrow().stdout().strip();
        RUNNER.run(Command.of("mkfs.ext4", "-q", dev)).orThrow();
        Path mnt = Files.createDirectories(dead.resolve("mnt"));
        RUNNER.run(Command.of("mount", dev, mnt.toString())).orThrow();

        LoopDevices.sweepLeftovers();

        assertThat(dead).doesNotExist();
        assertThat(RUNNER.run(Command.of("losetup", "--list", "--noheadings", "--output", "BACK-FILE")).stdout())
                .doesNotContain(file.toString());
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(mnt.toString());
    }
}
