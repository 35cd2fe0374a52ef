package io.openlocal.testinfra.spdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A fresh directory with a short unique path under /tmp (such as {@code /tmp/ol-3fa9c2d1e07b}), for unix
 * sockets: sun_path holds at most 107 bytes, so sockets cannot live in deep build directories. Deleted with
 * everything in it on {@link #close()}, so parallel test runs never share or leave sockets.
 */
public final class ShortTempDir implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;

    private ShortTempDir(Path path) {
        this.path = path;
    }

    public static ShortTempDir create() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        Path dir = Path.of("/tmp", "ol-" + HexFormat.of().formatHex(bytes));
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new ShortTempDir(dir);
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** A sparse file of {@code sizeBytes} in this directory (a disk image for AIO bdevs). */
    public Path sparseFile(String name, long sizeBytes) {
        Path file = path.resolve(name);
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        return file;
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
