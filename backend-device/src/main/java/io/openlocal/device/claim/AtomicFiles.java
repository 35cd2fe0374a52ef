package io.openlocal.device.claim;

import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Durable file updates: a record is either its old or its new content after a crash, never half written.
 * Written to a temporary file in the same directory, flushed to disk, renamed over the target, and the
 * directory flushed so the rename itself survives a power cut.
 */
public final class AtomicFiles {

    static final String TEMP_MARK = ".tmp-";

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] content) {
        Path dir = file.getParent();
        Path temp = dir.resolve("." + file.getFileName() + TEMP_MARK + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The temporary file is swept at the next start.
            }
            throw new StorageException.Unavailable("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the file (absent is fine) and makes the deletion durable. */
    public static void delete(Path file) {
        try {
            if (Files.deleteIfExists(file)) {
                syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes temporary files a crash left in the directory. Only old ones: a young one may belong to a write
     * in progress in another process.
     */
    public static void sweepTemporaries(Path dir, java.time.Duration minimumAge) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - minimumAge.toMillis();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().contains(TEMP_MARK)).toList()) {
                if (Files.getLastModifiedTime(file).toMillis() <= cutoff) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
