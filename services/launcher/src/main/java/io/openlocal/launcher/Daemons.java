package io.openlocal.launcher;

import io.openlocal.config.Settings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** What every long-running subcommand shares: reading its YAML file and staying up until SIGTERM. */
final class Daemons {

    private Daemons() {
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
                System.err.println("open-local " + name + ": error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, name + "-shutdown"));
        System.out.println("open-local " + name + ": " + readyLine);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
