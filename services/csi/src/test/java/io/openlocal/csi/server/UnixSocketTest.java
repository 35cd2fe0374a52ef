package io.openlocal.csi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {

    @TempDir
    Path dir;

    @Test
    void staleSocketOfACrashedProcessIsRemoved() throws Exception {
        Path path = dir.resolve("csi.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(path));
        dead.close(); // closed without unlinking: what a crash leaves
        assertThat(path).exists();
        try (UnixSocket socket = UnixSocket.claim(path)) {
            assertThat(path).doesNotExist();
        }
    }

    @Test
    void liveSocketOfAnotherProcessIsRefused() throws Exception {
        Path path = dir.resolve("csi.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(path));
            assertThatThrownBy(() -> UnixSocket.claim(path)).isInstanceOf(StorageException.Busy.class)
                    .hasMessageContaining("live process");
            assertThat(path).exists();
        }
    }

    @Test
    void secondClaimWhileTheFirstHoldsTheLockIsRefused() {
        Path path = dir.resolve("csi.sock");
        try (UnixSocket first = UnixSocket.claim(path)) {
            assertThatThrownBy(() -> UnixSocket.claim(path)).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void aRegularFileAtTheSocketPathIsNeverDeleted() throws Exception {
        Path path = dir.resolve("csi.sock");
        Files.writeString(path, "precious");
        assertThatThrownBy(() -> UnixSocket.claim(path)).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(path).hasContent("precious");
    }

    @Test
    void serverSocketIsMode0660AndRemovedOnClose() {
        Path path = dir.resolve("csi.sock");
        CsiServer server = CsiServer.start(path, List.of(), new CallMetrics(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        try {
            assertThat(PosixFilePermissions.toString(permissions(path))).isEqualTo("rw-rw----");
        } finally {
            server.close();
        }
        assertThat(path).doesNotExist();
        assertThat(dir.resolve("csi.sock.lock")).doesNotExist();
    }

    @Test
    void endpointsAreParsedStrictly() {
        assertThat(UnixSocket.parseEndpoint("unix:///var/lib/kubelet/plugins/x/csi.sock"))
                .isEqualTo(Path.of("/var/lib/kubelet/plugins/x/csi.sock"));
        assertThat(UnixSocket.parseEndpoint("unix:/tmp/a.sock")).isEqualTo(Path.of("/tmp/a.sock"));
        for (String bad : List.of("", "unix://relative/a.sock", "tcp://1.2.3.4:5", "unix:///a/../b.sock",
                "unix:///" + "x".repeat(120))) {
            assertThatThrownBy(() -> UnixSocket.parseEndpoint(bad)).isInstanceOf(StorageException.class);
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
