package io.openlocal.device.claim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Durable JSON records, one file per key ({@code <dir>/<key>.json}), written with {@link AtomicFiles}. A
 * record that cannot be read is an error naming the file, never skipped: a lost claim record would make a
 * claimed disk look free.
 */
public final class RecordStore<T> {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");
    private static final String SUFFIX = ".json";
    /** A write takes milliseconds; a temporary file older than this was left by a crash. */
    private static final java.time.Duration TEMPORARY_MAX_AGE = java.time.Duration.ofMinutes(10);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final Class<T> type;

    public RecordStore(Path dir, Class<T> type) {
        this.dir = dir;
        this.type = type;
        AtomicFiles.sweepTemporaries(dir, TEMPORARY_MAX_AGE);
    }

    public Path directory() {
        return dir;
    }

    public Optional<T> read(String key) {
        Path file = file(key);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException.Internal("state record " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every record, in key order. */
    public List<T> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && !n.startsWith("."))
                    .sorted()
                    .forEach(n -> keys.add(n.substring(0, n.length() - SUFFIX.length())));
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<T> records = new ArrayList<>();
        for (String key : keys) {
            read(key).ifPresent(records::add);
        }
        return records;
    }

    public void write(String key, T record) {
        try {
            AtomicFiles.write(file(key), JSON.writeValueAsBytes(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StorageException.Internal("cannot encode state record " + key + ": " + e.getMessage(), e);
        }
    }

    public void delete(String key) {
        AtomicFiles.delete(file(key));
    }

    private Path file(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new StorageException.Internal("not a usable state record key: '" + key + "'");
        }
        return dir.resolve(key + SUFFIX);
    }
}
