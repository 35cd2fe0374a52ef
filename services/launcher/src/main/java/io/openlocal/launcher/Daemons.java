package io.openlocal.launcher;

import io.openlocal.config.Settings;
import io.openlocal.observe.log.JsonLogFormatter;
import io.openlocal.observe.log.LogFormat;
import io.openlocal.observe.log.LogSetup;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** What every long-running subcommand shares: reading its YAML file and staying up until SIGTERM. */
final class Daemons {

    /** Made on first use: text mode never loads the JSON encoder. */
    private static final class Json {
        static final JsonLogFormatter FORMATTER = new JsonLogFormatter();
    }

    private Daemons() {
    }

    /**
     * A line for the operator: on stdout in text mode; in JSON mode a log record like every other line, so a log
     * collector reading the container's output sees only JSON.
     */
    static void say(String line) {
        if (LogSetup.active() == LogFormat.JSON) {
            record(Level.INFO, line);
        } else {
            System.out.println(line);
        }
    }

    /** A problem line: on stderr in text mode, a WARNING record in JSON mode. */
    static void complain(String line) {
        if (LogSetup.active() == LogFormat.JSON) {
            record(Level.WARNING, line);
        } else {
            System.err.println(line);
        }
    }

    /**
     * Writes one JSON record straight to stderr, where the console handler writes too. Not through a handler:
     * these lines are also written while the JVM stops, when java.util.logging's own shutdown hook may already
     * have closed its handlers.
     */
    static synchronized void record(Level level, String line) {
        LogRecord record = new LogRecord(level, line);
        record.setLoggerName("io.openlocal.launcher");
        System.err.print(Json.FORMATTER.format(record));
        System.err.flush();
    }

    /** The settings in {@code file}, or an empty configuration (every key at its default) when none is given. */
    static Settings settings(Path file) {
        return file == null ? Settings.fromYaml("{}") : Settings.fromFile(file);
    }

    /** Prints that the daemon is up, then blocks until the JVM is asked to stop, and closes it. */
    static void runUntilStopped(String name, AutoCloseable daemon, String readyLine) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                daemon.close();
            } catch (Exception e) {
                complain("open-local " + name + ": error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, name + "-shutdown"));
        say("open-local " + name + ": " + readyLine);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
