package io.openlocal.testinfra.spdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The storage under an AIO or NVMe bdev: a file (a simulated block device, or a regular file given to
 * bdev_aio_create). The emulator keeps an lvstore's metadata at its start, where a real blobstore keeps
 * its super block and metadata pages, so an lvstore comes back when the same file is attached again,
 * even by a new emulator instance.
 */
final class BackingStore {

    private static final byte[] MAGIC = "OPEN-LOCAL-SPDK-EMULATOR-LVS\n".getBytes(StandardCharsets.US_ASCII);
    private static final int LENGTH_DIGITS = 12;

    private final Path file;
    private final int detectedBlockSize;
    private final boolean blockDevice;
    private final Path sysfsSize;

    /**
     * @param file              where the bytes live
     * @param detectedBlockSize what a block-size ioctl would report (0 for a regular file, as on Linux)
     * @param blockDevice       whether it stands for a block device
     */
    BackingStore(Path file, int detectedBlockSize, boolean blockDevice) {
        this(file, detectedBlockSize, blockDevice, null);
    }

    /** A real block device: its size comes from sysfs (in 512-byte sectors), as fstat reports 0. */
    BackingStore(Path file, int detectedBlockSize, boolean blockDevice, Path sysfsSize) {
        this.file = file;
        this.detectedBlockSize = detectedBlockSize;
        this.blockDevice = blockDevice;
        this.sysfsSize = sysfsSize;
    }

    Path file() {
        return file;
    }

    int detectedBlockSize() {
        return detectedBlockSize;
    }

    boolean blockDevice() {
        return blockDevice;
    }

    /** The size now, as fstat or a block-size ioctl would see it. */
    long sizeBytes() {
        try {
            if (sysfsSize != null) {
                return Long.parseLong(Files.readString(sysfsSize).strip()) * 512;
            }
            return Files.size(file);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Writes lvstore metadata at the start of the store. */
    void writeMetadata(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String length = String.format("%0" + LENGTH_DIGITS + "d", body.length);
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + LENGTH_DIGITS + body.length);
        buffer.put(MAGIC).put(length.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write lvstore metadata to " + file, e);
        }
    }

    /** Clears the metadata mark, as deleting an lvstore wipes its super block. */
    void eraseMetadata() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(MAGIC.length);
            channel.write(zeros, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot erase lvstore metadata on " + file, e);
        }
    }

    /** The lvstore metadata at the start of the store, if there is any. */
    Optional<String> readMetadata() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + LENGTH_DIGITS);
            if (channel.read(head, 0) < head.capacity()) {
                return Optional.empty();
            }
            byte[] bytes = head.array();
            for (int i = 0; i < MAGIC.length; i++) {
                if (bytes[i] != MAGIC[i]) {
                    return Optional.empty();
                }
            }
            int length = Integer.parseInt(new String(bytes, MAGIC.length, LENGTH_DIGITS, StandardCharsets.US_ASCII));
            ByteBuffer body = ByteBuffer.allocate(length);
            channel.read(body, head.capacity());
            return Optional.of(new String(body.array(), StandardCharsets.UTF_8));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
