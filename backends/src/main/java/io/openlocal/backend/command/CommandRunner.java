package io.openlocal.backend.command;

/**
 * The one way this system runs external tools (lvm2, mkfs, mount, blkid, losetup, nvme). A functional
 * interface so callers can wrap it (to count launches or time them) without touching the real runner.
 */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Runs the command to completion.
     *
     * @return the result, whatever the exit code
     * @throws io.openlocal.backend.error.StorageException.Unavailable when the program cannot be started, runs
     *         past its timeout (it is killed, with its children; the exception's cause is then a
     *         {@link java.util.concurrent.TimeoutException}), or prints more than the output limit
     */
    CommandResult run(Command command);
}
