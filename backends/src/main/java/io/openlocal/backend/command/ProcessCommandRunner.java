package io.openlocal.backend.command;

import io.openlocal.backend.error.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands as child processes with {@link ProcessBuilder}: no shell, stdin closed, stdout and stderr
 * captured in full on their own threads (so a chatty tool cannot block on a full pipe), killed with its
 * descendants at the timeout.
 */
public final class ProcessCommandRunner implements CommandRunner {

    /** Output past this is a fault in the tool or the request; a report of 500 LVs is well under 1 MiB. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

    private final Map<String, String> baseEnv;

    /**
     * @param baseEnv variables set for every command, for example {@code LC_ALL=C} so messages that callers
     *                match on do not change with the locale
     */
    public ProcessCommandRunner(Map<String, String> baseEnv) {
        this.baseEnv = Map.copyOf(baseEnv);
    }

    /** A runner with the C locale, and lvm2's leaked-descriptor warnings off (they are noise on stderr). */
    public static ProcessCommandRunner standard() {
        return new ProcessCommandRunner(Map.of("LC_ALL", "C", "LANG", "C", "LVM_SUPPRESS_FD_WARNINGS", "1"));
    }

    @Override
    public CommandResult run(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().putAll(baseEnv);
        builder.environment().putAll(command.env());
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot run '" + command.program() + "': " + e.getMessage(), e);
        }
        var stdout = new Drain(process.getInputStream());
        var stderr = new Drain(process.getErrorStream());
        Thread outThread = Thread.ofVirtual().start(stdout);
        Thread errThread = Thread.ofVirtual().start(stderr);
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                // The cause marks the error as a timeout for observers (ObservedCommandRunner), without a new
                // StorageException kind: callers treat it as any other Unavailable.
                throw new StorageException.Unavailable("'" + command.display() + "' timed out after "
                        + command.timeout().toMillis() + " ms and was killed; stderr so far: "
                        + stderr.text().strip(), new TimeoutException(command.tool() + " ran past "
                        + command.timeout().toMillis() + " ms"));
            }
            outThread.join();
            errThread.join();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new StorageException.Unavailable("interrupted while running '" + command.display() + "'", e);
        }
        if (stdout.overflowed || stderr.overflowed) {
            throw new StorageException.Unavailable("'" + command.display() + "' printed more than "
                    + MAX_OUTPUT_BYTES + " bytes");
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new CommandResult(command, process.exitValue(), stdout.text(), stderr.text(), elapsedMillis);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a stream to its end, keeping at most the output limit. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile boolean overflowed;

        Drain(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        if (buffer.size() + n > MAX_OUTPUT_BYTES) {
                            overflowed = true;
                        } else {
                            buffer.write(chunk, 0, n);
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its end; what was read so far is kept.
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
