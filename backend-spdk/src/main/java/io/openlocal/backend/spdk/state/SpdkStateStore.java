package io.openlocal.backend.spdk.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.state.StateLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The SPDK backend's durable record ({@code <stateDir>/spdk/state.json}): owned pools, exports, snapshot
 * sources. Every change is written whole to a temporary file, forced to disk, renamed over the old file and
 * the directory forced, so a crash leaves the old or the new record, never a mix. A record that cannot be read
 * stops the backend (silently forgetting what it owns would be worse).
 *
 * <p>Two processes share the record on a node: the agent (pools) and the CSI node plugin (volumes, exports).
 * A change therefore holds the state directory's {@link StateLock} and starts from the file as it is on disk,
 * and a read reloads when the file was replaced (each write renames a new file in).
 */
public final class SpdkStateStore {

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final StateLock lock;
    private SpdkState state;
    /** Identity of the file {@link #state} was read from or written to (inode, mtime, size); null when absent. */
    private List<Object> loadedKey;

    public SpdkStateStore(Path stateDir) {
        Path dir = stateDir.resolve("spdk");
        this.file = dir.resolve("state.json");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot create the SPDK state directory " + dir + ": " + e, e);
        }
        this.lock = StateLock.of(dir);
        this.state = lock.locked(this::load);
    }

    public Path file() {
        return file;
    }

    private SpdkState load() {
        try {
            loadedKey = fileKey();
            byte[] bytes = Files.readAllBytes(file);
            SpdkState loaded = mapper.readValue(bytes, SpdkState.class);
            if (loaded.version() > SpdkState.CURRENT_VERSION) {
                throw new StorageException.Internal("SPDK state " + file + " has version " + loaded.version()
                        + ", newer than this program understands (" + SpdkState.CURRENT_VERSION + ")");
            }
            return loaded;
        } catch (NoSuchFileException e) {
            loadedKey = null;
            return SpdkState.empty();
        } catch (IOException e) {
            throw new StorageException.Internal("SPDK state " + file + " cannot be read: " + e.getMessage()
                    + " (fix or move it; it records the pools and exports Open-Local owns)", e);
        }
    }

    /** The record as it is now, reloaded when another process replaced it. */
    public synchronized SpdkState get() {
        if (!Objects.equals(fileKey(), loadedKey)) {
            state = lock.locked(this::load);
        }
        return state;
    }

    /** Applies a change to the record as it is on disk and makes it durable before returning. */
    public synchronized SpdkState update(UnaryOperator<SpdkState> change) {
        return lock.locked(() -> {
            if (!Objects.equals(fileKey(), loadedKey)) {
                state = load();
            }
            SpdkState next = change.apply(state);
            if (!next.equals(state)) {
                write(next);
                state = next;
                loadedKey = fileKey();
            }
            return state;
        });
    }

    private List<Object> fileKey() {
        try {
            // The inode alone could be reused by a later write; with the modification time and size it cannot
            // plausibly repeat.
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toString(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot read the attributes of SPDK state " + file + ": "
                    + e.getMessage(), e);
        }
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
