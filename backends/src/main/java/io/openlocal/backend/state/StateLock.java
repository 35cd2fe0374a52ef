package io.openlocal.backend.state;

import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises changes to one state directory: claims of devices and mount points, and mount point set-up, which
 * must see each other's records. Within a JVM, one reentrant lock per directory (two backend instances on the
 * same directory share it); across processes, an advisory lock on a file in it.
 */
public final class StateLock {

    private static final ConcurrentHashMap<Path, StateLock> LOCKS = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock local = new ReentrantLock();
    private FileChannel channel;
    private FileLock fileLock;

    private StateLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** The lock of a state directory. */
    public static StateLock of(Path stateDir) {
        return LOCKS.computeIfAbsent(stateDir.toAbsolutePath().normalize(), dir -> new StateLock(dir.resolve(".lock")));
    }

    /** Runs {@code action} holding the lock. */
    public <T> T locked(Supplier<T> action) {
        local.lock();
        try {
            if (local.getHoldCount() == 1) {
                acquireFileLock();
            }
            try {
                return action.get();
            } finally {
                if (local.getHoldCount() == 1) {
                    releaseFileLock();
                }
            }
        } finally {
            local.unlock();
        }
    }

    public void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    private void acquireFileLock() {
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            fileLock = channel.lock();
        } catch (IOException e) {
            closeQuietly();
            throw new StorageException.Unavailable("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private void releaseFileLock() {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Nothing left to release.
        }
        channel = null;
        fileLock = null;
    }
}
