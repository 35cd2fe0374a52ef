package io.openlocal.backend.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Real processes through the real runner, observed: each command is reported once with its tool and outcome. */
class ObservedCommandRunnerTest {

    private record Seen(String tool, Duration elapsed, CommandObserver.Outcome outcome) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CommandRunner runner = new ObservedCommandRunner(ProcessCommandRunner.standard(),
            (tool, elapsed, outcome) -> seen.add(new Seen(tool, elapsed, outcome)));

    @Test
    void zeroExitIsOkAndNamedByTheProgramsFileName() {
        runner.run(Command.of("/bin/true"));
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.tool()).isEqualTo("true");
            assertThat(s.outcome()).isEqualTo(CommandObserver.Outcome.OK);
            assertThat(s.elapsed()).isPositive();
        });
    }

    @Test
    void nonZeroExitIsFailedAndTheResultStillReturned() {
        CommandResult result = runner.run(Command.of("false"));
        assertThat(result.succeeded()).isFalse();
        assertThat(seen).extracting(Seen::outcome).containsExactly(CommandObserver.Outcome.FAILED);
    }

    @Test
    void programThatCannotStartIsFailed() {
        assertThatThrownBy(() -> runner.run(Command.of("no-such-program-open-local")))
                .isInstanceOf(StorageException.Unavailable.class);
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.tool()).isEqualTo("no-such-program-open-local");
            assertThat(s.outcome()).isEqualTo(CommandObserver.Outcome.FAILED);
        });
    }

    @Test
    void killAtTheTimeLimitIsTimeoutNotFailed() {
        assertThatThrownBy(() -> runner.run(new Command(List.of("sleep", "20"), Duration.ofMillis(200), Map.of())))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("timed out");
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.tool()).isEqualTo("sleep");
            assertThat(s.outcome()).isEqualTo(CommandObserver.Outcome.TIMEOUT);
            assertThat(s.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        });
    }

    @Test
    void lvmSubcommandIsTheToolAsItsLinkIsNamed() {
        assertThat(Command.of("lvm", "lvcreate", "--size", "4m", "vg").tool()).isEqualTo("lvcreate");
        assertThat(Command.of("/usr/sbin/lvm", "fullreport").tool()).isEqualTo("fullreport");
        assertThat(Command.of("lvm", "--version").tool()).isEqualTo("lvm");
        assertThat(Command.of("/sbin/mkfs.ext4", "-F", "/dev/x").tool()).isEqualTo("mkfs.ext4");
        assertThat(Command.of("nvme", "connect").tool()).isEqualTo("nvme");
    }
}
