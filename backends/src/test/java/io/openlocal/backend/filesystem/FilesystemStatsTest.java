package io.openlocal.backend.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FilesystemStatsTest {

    @Test
    void parsesStatLineIntoBytesAndInodes() {
        FsUsage usage = FilesystemStats.parse("4096 1000 400 300 256 200");
        assertThat(usage).isEqualTo(new FsUsage(4096L * 1000, 4096L * 600, 4096L * 300, 256, 56, 200));
    }

    @Test
    void malformedLineIsInternal() {
        assertThatThrownBy(() -> FilesystemStats.parse("4096 x 1 1 1 1")).isInstanceOf(StorageException.Internal.class);
        assertThatThrownBy(() -> FilesystemStats.parse("1 2 3")).isInstanceOf(StorageException.Internal.class);
    }

    @Test
    void severalPathsCostOneProcessAndMissingPathIsNotFound() {
        AtomicInteger launches = new AtomicInteger();
        ProcessCommandRunner real = ProcessCommandRunner.standard();
        FilesystemStats stats = new FilesystemStats(command -> {
            launches.incrementAndGet();
            return real.run(command);
        });
        Map<Path, FsUsage> all = stats.ofAll(List.of(Path.of("/proc"), Path.of("/tmp"), Path.of("/var")));
        assertThat(all).hasSize(3);
        assertThat(launches).hasValue(1);
        assertThat(all.get(Path.of("/tmp")).totalBytes()).isPositive();
        assertThatThrownBy(() -> stats.of(Path.of("/definitely/not/here")))
                .isInstanceOf(StorageException.NotFound.class);
    }

    @Test
    void figuresForTheRootFilesystemAgreeWithDf() {
        ProcessCommandRunner runner = ProcessCommandRunner.standard();
        FsUsage ours = new FilesystemStats(runner).of(Path.of("/"));
        CommandResult df = runner.run(Command.of("df", "-B1", "--output=size,itotal", "/"));
        String[] figures = df.stdout().strip().split("\n")[1].strip().split("\\s+");
        assertThat(ours.totalBytes()).isEqualTo(Long.parseLong(figures[0]));
        assertThat(ours.totalInodes()).isEqualTo(Long.parseLong(figures[1]));
        assertThat(ours.usedBytes() + ours.availableBytes()).isLessThanOrEqualTo(ours.totalBytes());
    }

    @Test
    void relativeOrDottedPathIsRefusedBeforeAnythingRuns() {
        FilesystemStats stats = new FilesystemStats(command -> {
            throw new AssertionError("must not run " + command.display());
        });
        assertThatThrownBy(() -> stats.of(Path.of("relative"))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> stats.of(Path.of("/a/../b"))).isInstanceOf(StorageException.InvalidArgument.class);
    }
}
