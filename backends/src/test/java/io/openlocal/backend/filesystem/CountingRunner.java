package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real runner, recording what it ran, so tests can check that rejected input ran nothing. */
final class CountingRunner implements CommandRunner {

    private final CommandRunner real = ProcessCommandRunner.standard();
    private final List<Command> ran = new CopyOnWriteArrayList<>();

    @Override
    public CommandResult run(Command command) {
        ran.add(command);
        return real.run(command);
    }

    List<String> programs() {
        return ran.stream().map(Command::program).toList();
    }

    void reset() {
        ran.clear();
    }
}
