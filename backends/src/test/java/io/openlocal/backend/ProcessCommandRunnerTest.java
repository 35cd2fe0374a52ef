package io.openlocal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {

    private final ProcessCommandRunner runner = ProcessCommandRunner.standard();

    @Test
    void argumentsReachTheProgramVerbatimWithoutAShell() {
        CommandResult result = runner.run(Command.of("printf", "%s|", "a b", "$(id)", "; rm -rf /", "`x`"));
        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo("a b|$(id)|; rm -rf /|`x`|");
    }

    @Test
    void nonZeroExitIsReportedWithStderr() {
        CommandResult result = runner.run(Command.of("ls", "/definitely/not/here"));
        assertThat(result.exitCode()).isNotZero();
        assertThatThrownBy(result::orThrow)
                .isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("'ls /definitely/not/here' exited")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void programThatOverrunsItsTimeoutIsKilledWithItsChildren() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> runner.run(new Command(List.of("sh", "-c", "sleep 30 & sleep 30"),
                Duration.ofMillis(300), java.util.Map.of())))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("timed out after 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void missingProgramIsUnavailable() {
        assertThatThrownBy(() -> runner.run(Command.of("no-such-program-open-local")))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("cannot run");
    }

    @Test
    void largeOutputOnBothStreamsDoesNotDeadlock() {
        CommandResult result = runner.run(Command.of("sh", "-c",
                "head -c 3000000 /dev/zero | tr '\\0' a; head -c 3000000 /dev/zero | tr '\\0' b >&2"));
        assertThat(result.stdout()).hasSize(3_000_000);
        assertThat(result.stderr()).hasSize(3_000_000);
    }

    @Test
    void localeIsFixedSoMessagesCanBeMatched() {
        assertThat(runner.run(Command.of("sh", "-c", "echo $LC_ALL")).stdout().strip()).isEqualTo("C");
    }

    @Test
    void nulInAnArgumentIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> Command.of("echo", "a\0b")).isInstanceOf(IllegalArgumentException.class);
    }
}
