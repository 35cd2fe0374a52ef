package io.openlocal.testinfra.spdk;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A vhost-user-blk controller. Like the target, the emulator creates the controller's unix socket (a VM
 * runtime connects there); nothing is served on it.
 */
final class VhostController {

    final String name;
    Bdev bdev;
    final Path socket;
    private final ServerSocketChannel channel;

    private VhostController(String name, Bdev bdev, Path socket, ServerSocketChannel channel) {
        this.name = name;
        this.bdev = bdev;
        this.socket = socket;
        this.channel = channel;
    }

    /** Creates the socket; fails with EIO like the target when the path cannot be a socket. */
    static VhostController open(String name, Bdev bdev, Path socket) {
        try {
            if (Files.exists(socket)) {
                var attributes = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isOther()) { // a socket is "other": neither file, directory nor link
                    throw RpcException.invalidParams(Errno.EIO);
                }
                Files.delete(socket);
            }
            if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
                throw RpcException.invalidParams(Errno.EIO);
            }
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(socket));
            return new VhostController(name, bdev, socket, channel);
        } catch (IOException e) {
            throw RpcException.invalidParams(Errno.EIO);
        }
    }

    void close() {
        try {
            channel.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // The socket file may already be gone; nothing else holds it.
        }
    }
}
