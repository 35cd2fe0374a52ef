package io.openlocal.backend.command;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A runner that tells a {@link CommandObserver} how each command of another runner ended and how long it took.
 * Daemons wrap the runner they hand to the backends with it, so every external command is observed in one place.
 */
public final class ObservedCommandRunner implements CommandRunner {

    private final CommandRunner delegate;
    private final CommandObserver observer;

    public ObservedCommandRunner(CommandRunner delegate, CommandObserver observer) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public CommandResult run(Command command) {
        long start = System.nanoTime();
        CommandObserver.Outcome outcome = CommandObserver.Outcome.FAILED;
        try {
            CommandResult result = delegate.run(command);
            outcome = result.succeeded() ? CommandObserver.Outcome.OK : CommandObserver.Outcome.FAILED;
            return result;
        } catch (RuntimeException e) {
            outcome = timedOut(e) ? CommandObserver.Outcome.TIMEOUT : CommandObserver.Outcome.FAILED;
            throw e;
        } finally {
            observer.finished(command.tool(), Duration.ofNanos(System.nanoTime() - start), outcome);
        }
    }

    /** {@link ProcessCommandRunner} marks a kill at the time limit with a TimeoutException as the error's cause. */
    private static boolean timedOut(RuntimeException e) {
        return e.getCause() instanceof TimeoutException;
    }
}
