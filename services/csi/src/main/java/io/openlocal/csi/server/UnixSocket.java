package io.openlocal.csi.server;

import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The life of the CSI socket file. Before binding: a lock file beside the socket is taken for the life of the
 * process (a second plugin on the same socket is refused at once), a socket file left by a crashed process is
 * removed, and one that a live process answers on is refused. After binding the socket is made mode 0660 (the CSI
 * socket is not world-accessible); on close it and the lock file are removed.
 */
public final class UnixSocket implements AutoCloseable {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final Path lockPath;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private UnixSocket(Path path, Path lockPath, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockPath = lockPath;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Parses {@code unix:///path}, {@code unix:/path} or a plain absolute path. */
    public static Path parseEndpoint(String endpoint) {
        String value = endpoint;
        if (value.startsWith("unix://")) {
            value = value.substring("unix://".length());
        } else if (value.startsWith("unix:")) {
            value = value.substring("unix:".length());
        }
        Path path = Path.of(value);
        if (value.isEmpty() || !path.isAbsolute() || !path.normalize().equals(path) || path.getNameCount() == 0) {
            throw new StorageException.InvalidArgument("csi endpoint: '" + endpoint
                    + "' is not unix:///ABSOLUTE/PATH (for example unix:///var/lib/kubelet/plugins/"
                    + "local.csi.aliyun.com/csi.sock)");
        }
        // sun_path holds 108 bytes including the terminating NUL.
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            throw new StorageException.InvalidArgument("csi endpoint: '" + path + "' is longer than a unix socket "
                    + "path may be (107 bytes)");
        }
        return path;
    }

    /** Claims the socket path for this process; see the class comment. */
    public static UnixSocket claim(Path path) {
        Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
        try {
            Files.createDirectories(path.getParent());
            FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this same process
            }
            if (lock == null) {
                channel.close();
                throw new StorageException.Busy("socket " + path + " is held by another running process (lock "
                        + lockPath + ")");
            }
            try {
                removeStale(path);
            } catch (RuntimeException e) {
                lock.release();
                channel.close();
                throw e;
            }
            return new UnixSocket(path, lockPath, channel, lock);
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot prepare socket " + path + ": " + e.getMessage(), e);
        }
    }

    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new StorageException.InvalidArgument("socket path " + path + " exists and is not a socket; "
                    + "refusing to replace it");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new StorageException.Busy("socket " + path + " is in use by a live process");
        } catch (IOException refused) {
            // Nobody listens: a leftover of a process that died without cleaning up.
            Files.deleteIfExists(path);
        }
    }

    public Path path() {
        return path;
    }

    public UnixDomainSocketAddress address() {
        return UnixDomainSocketAddress.of(path);
    }

    /** Restricts the bound socket to owner and group (0660). */
    public void restrictPermissions() {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot set the mode of " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // The next start removes a stale socket anyway.
        }
        try {
            lock.release();
            lockChannel.close();
            Files.deleteIfExists(lockPath);
        } catch (IOException e) {
            // Released with the process at the latest.
        }
    }
}
