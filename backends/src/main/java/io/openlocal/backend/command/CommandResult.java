package io.openlocal.backend.command;

import io.openlocal.backend.error.StorageException;

/**
 * How a command ended. A non-zero exit is not an exception by itself: the caller knows which exits and which
 * stderr texts mean "not found" or "no space", and calls {@link #orThrow()} for everything else.
 */
public record CommandResult(Command command, int exitCode, String stdout, String stderr, long elapsedMillis) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result when the command succeeded, otherwise throws {@link StorageException.Unavailable}. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw failure();
        }
        return this;
    }

    /** The error for a failed run: the command, its exit code and its stderr. */
    public StorageException.Unavailable failure() {
        return new StorageException.Unavailable(describe());
    }

    /** A one-paragraph account of the run for error messages. */
    public String describe() {
        String err = stderr.strip();
        if (err.length() > 4000) {
            err = err.substring(0, 4000) + "...";
        }
        return "'" + command.display() + "' exited " + exitCode + (err.isEmpty() ? "" : ": " + err);
    }
}
