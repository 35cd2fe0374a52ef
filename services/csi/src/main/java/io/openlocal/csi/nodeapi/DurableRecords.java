package io.openlocal.csi.nodeapi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Small JSON records, one file per key, written crash-safely: a temporary file is written and fsynced, renamed
 * over the old one, and the directory fsynced, so after a crash a record is either the old or the new version,
 * never half of one. Keys are backend names (safe file names).
 */
final class DurableRecords<T> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;
    private final Class<T> type;

    DurableRecords(Path dir, Class<T> type) {
        this.dir = dir;
        this.type = type;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot create record directory " + dir + ": " + e.getMessage(), e);
        }
    }

    Optional<T> read(String key) {
        Path file = file(key);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException.Internal("record " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    void write(String key, T value) {
        Path file = file(key);
        Path temp = dir.resolve("." + key + ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StorageException.Unavailable("record directory " + dir + " does not support atomic renames");
            }
            syncDirectory();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot write record " + file + ": " + e.getMessage(), e);
        }
    }

    void delete(String key) {
        try {
            if (Files.deleteIfExists(file(key))) {
                syncDirectory();
            }
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot delete record " + file(key) + ": " + e.getMessage(), e);
        }
    }

    /** Every record, in key order. Leftover temporary files of a crash are ignored (the next write replaces them). */
    List<T> all() {
        List<String> keys;
        try (Stream<Path> files = Files.list(dir)) {
            keys = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot list records in " + dir + ": " + e.getMessage(), e);
        }
        List<T> values = new ArrayList<>();
        for (String key : keys) {
            read(key).ifPresent(values::add);
        }
        return values;
    }

    private Path file(String key) {
        Names.requireObjectName("record key", key, 200);
        return dir.resolve(key + ".json");
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
