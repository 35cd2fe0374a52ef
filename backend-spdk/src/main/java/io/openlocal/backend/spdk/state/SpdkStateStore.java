package io.openlocal.backend.spdk.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * The SPDK backend's durable record ({@code <stateDir>/spdk/state.json}): owned pools, exports, snapshot
 * sources. Read once at start; every change is written whole to a temporary file, forced to disk, renamed
 * over the old file and the directory forced, so a crash leaves the old or the new record, never a mix.
 * A record that cannot be read stops the backend (silently forgetting what it owns would be worse).
 */
public final class SpdkStateStore {

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private SpdkState state;

    public SpdkStateStore(Path stateDir) {
        Path dir = stateDir.resolve("spdk");
        this.file = dir.resolve("state.json");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot create the SPDK state directory " + dir + ": " + e, e);
        }
        this.state = load();
    }

    public Path file() {
        return file;
    }

    private SpdkState load() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            SpdkState loaded = mapper.readValue(bytes, SpdkState.class);
            if (loaded.version() > SpdkState.CURRENT_VERSION) {
                throw new StorageException.Internal("SPDK state " + file + " has version " + loaded.version()
                        + ", newer than this program understands (" + SpdkState.CURRENT_VERSION + ")");
            }
            return loaded;
        } catch (NoSuchFileException e) {
            return SpdkState.empty();
        } catch (IOException e) {
            throw new StorageException.Internal("SPDK state " + file + " cannot be read: " + e.getMessage()
                    + " (fix or move it; it records the pools and exports Open-Local owns)", e);
        }
    }

    public synchronized SpdkState get() {
        return state;
    }

    /** Applies a change and makes it durable before returning. */
    public synchronized SpdkState update(UnaryOperator<SpdkState> change) {
        SpdkState next = change.apply(state);
        if (!next.equals(state)) {
            write(next);
            state = next;
        }
        return state;
    }

    private void write(SpdkState next) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            byte[] bytes = mapper.writeValueAsBytes(next);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StorageException.Unavailable("the state directory " + file.getParent()
                        + " does not support atomic rename", e);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot write SPDK state " + file + ": " + e.getMessage(), e);
        }
    }
}
