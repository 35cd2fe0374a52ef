package io.openlocal.backend.command;

import java.time.Duration;
import java.util.Locale;

/**
 * Told about every command a runner finished, so a daemon can time backend commands (metrics, traces) while the
 * backends stay free of any metrics library. Wrap a runner with {@link ObservedCommandRunner} to use one.
 *
 * <p>Called on the thread that ran the command, once per command, after it ended; it must be quick and must not
 * throw (a failing observer would fail the storage operation that ran the command).
 */
@FunctionalInterface
public interface CommandObserver {

    /** An observer that does nothing. */
    CommandObserver NONE = (tool, elapsed, outcome) -> { };

    /** How a command ended, as the process saw it (not whether the caller treats a non-zero exit as an error). */
    enum Outcome {
        /** Exit code 0. */
        OK,
        /** A non-zero exit, a program that could not be started, output past the limit, or an interrupted wait. */
        FAILED,
        /** Killed at its time limit. */
        TIMEOUT;

        /** The lower-case word used as a metric label ({@code ok}, {@code failed}, {@code timeout}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param tool    {@link Command#tool()}: {@code lvcreate}, {@code mkfs.ext4}, {@code wipefs}, ...
     * @param elapsed wall-clock time from start to end
     * @param outcome how it ended
     */
    void finished(String tool, Duration elapsed, Outcome outcome);
}
