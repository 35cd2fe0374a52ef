package io.openlocal.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test helpers that look at a device with the tools themselves, independently of the code under test. */
final class OnDisk {

    static final ProcessCommandRunner RUNNER = ProcessCommandRunner.standard();
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnDisk() {
    }

    static CommandResult run(String... argv) {
        return RUNNER.run(Command.of(argv).withTimeout(Duration.ofSeconds(120)));
    }

    /** Every signature wipefs sees (without changing anything), and blkid's low-level probe: the device's state. */
    static String signatures(String device) {
        CommandResult wipefs = run("wipefs", "--no-act", "--json", device).orThrow();
        CommandResult blkid = run("blkid", "-p", "-o", "export", device);
        return wipefs.stdout() + "\n" + blkid.exitCode() + "\n" + blkid.stdout();
    }

    /** How many signatures wipefs lists on the device. */
    static int signatureCount(String device) {
        try {
            JsonNode node = JSON.readTree(run("wipefs", "--no-act", "--json", device).orThrow().stdout());
            return node.path("signatures").size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real runner, recording the programs it ran. */
    static final class Recording implements CommandRunner {
        final List<Command> ran = new CopyOnWriteArrayList<>();

        @Override
        public CommandResult run(Command command) {
            ran.add(command);
            return RUNNER.run(command);
        }

        List<String> programs() {
            return ran.stream().map(Command::program).toList();
        }
    }
}
