package io.openlocal.csi.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.csi.tls.TlsFiles;
import io.openlocal.csi.tls.TlsMaterial;
import io.openlocal.csi.volume.BackendNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cert-manager rotates the node API's files in place: both sides pick the new files up at the next TLS
 * connection, without a restart, and a broken half-written set keeps the last good one.
 */
class CertificateRotationTest {

    private static final String NODE = "node-r";
    private static final String SERVER = "open-local-node-api";
    private static final String CLIENT = "open-local-csi-controller";

    /** Copies one side's issued files to fixed paths (as a Secret volume mounts them). */
    private static void install(TestPki.Files3 issued, Path dir) throws Exception {
        Files.createDirectories(dir);
        copy(issued.certificate(), dir.resolve("tls.crt"));
        copy(issued.key(), dir.resolve("tls.key"));
        copy(issued.ca(), dir.resolve("ca.crt"));
    }

    private static void copy(Path from, Path to) throws Exception {
        Path temp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        // Distinct modification times even within the file system's timestamp granularity.
        Files.setLastModifiedTime(temp, FileTime.from(Instant.now().plusSeconds(Files.exists(to) ? 60 : 0)));
        Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static TlsFiles files(Path dir) {
        return new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
    }

    @Test
    void bothSidesUseRotatedCertificatesOnTheNextConnection(@TempDir Path dir) throws Exception {
        TestPki first = new TestPki(dir, "first");
        Path serverDir = dir.resolve("server");
        Path clientDir = dir.resolve("client");
        install(first.issue(SERVER, true), serverDir);
        install(first.issue(CLIENT), clientDir);
        LocalNodeStorage storage = new LocalNodeStorage(NODE, Map.of(), dir.resolve("state"),
                new PoolChooser(PoolChooser.Strategy.BINPACK), Clock.systemUTC(), p -> true, BackendNames.standard());
        TlsFiles clientFiles = files(clientDir);
        try (NodeApiServer api = NodeApiServer.start("127.0.0.1", 0, files(serverDir), List.of(CLIENT), storage)) {
            try (RemoteNodeStorage remote = RemoteNodeStorage.connect(NODE, SERVER, "127.0.0.1", api.port(),
                    clientFiles, 10)) {
                assertThat(remote.status().nodeName()).isEqualTo(NODE);
            }
            // A new CA and new certificates for both sides, written over the same paths.
            TestPki second = new TestPki(dir, "second");
            TestPki.Files3 oldClient = first.issue(CLIENT);
            install(second.issue(SERVER, true), serverDir);
            install(second.issue(CLIENT), clientDir);
            try (RemoteNodeStorage remote = RemoteNodeStorage.connect(NODE, SERVER, "127.0.0.1", api.port(),
                    clientFiles, 10)) {
                assertThat(remote.status().nodeName()).isEqualTo(NODE);
            }
            // A client still holding the old CA's certificate is refused by the rotated server.
            try (RemoteNodeStorage stale = RemoteNodeStorage.connect(NODE, SERVER, "127.0.0.1", api.port(),
                    TlsMaterial.fromPem(oldClient.certificate(), oldClient.key(), oldClient.ca()), 10)) {
                assertThatThrownBy(stale::status).isInstanceOf(StorageException.Unavailable.class);
            }
            // A broken key file (half-written) keeps the last good material.
            Files.writeString(clientDir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nbroken\n");
            try (RemoteNodeStorage remote = RemoteNodeStorage.connect(NODE, SERVER, "127.0.0.1", api.port(),
                    clientFiles, 10)) {
                assertThat(remote.status().nodeName()).isEqualTo(NODE);
            }
        }
    }

    @Test
    void missingFilesFailAtStartNamingTheFile(@TempDir Path dir) {
        assertThatThrownBy(() -> files(dir)).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("tls.crt");
    }
}
