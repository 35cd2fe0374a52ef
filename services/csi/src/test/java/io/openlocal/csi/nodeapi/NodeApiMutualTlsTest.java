package io.openlocal.csi.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.tls.TlsMaterial;
import io.openlocal.csi.volume.BackendNames;
import io.openlocal.nodeapi.v1.GetNodeStatusRequest;
import io.openlocal.nodeapi.v1.NodeStorageGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node API over TCP with mutual TLS: only the controller's certificate reaches the agent, and the controller
 * only talks to an agent whose certificate names the node it dialled. The agent's storage is a real
 * {@link LocalNodeStorage} (with no backends: the transport is what is under test here; the storage itself is
 * tested over the CSI socket).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeApiMutualTlsTest {

    private static final String NODE = "node-a";
    private static final String CONTROLLER = "open-local-controller";

    @TempDir
    static Path dir;

    private TestPki pki;
    private NodeApiServer agent;

    @BeforeAll
    void startAgent() {
        pki = new TestPki(dir, "cluster");
        TestPki.Files3 agentFiles = pki.issue(NODE);
        LocalNodeStorage storage = new LocalNodeStorage(NODE, Map.of(), dir.resolve("state"),
                new PoolChooser(PoolChooser.Strategy.BINPACK), Clock.systemUTC(), p -> true, BackendNames.standard());
        agent = NodeApiServer.start("127.0.0.1", 0, TlsMaterial.fromPem(agentFiles.certificate(), agentFiles.key(),
                agentFiles.ca()), CONTROLLER, storage);
    }

    @AfterAll
    void stopAgent() {
        agent.close();
    }

    private RemoteNodeStorage controllerWith(TestPki.Files3 files, String expectedNode) {
        return RemoteNodeStorage.connect(expectedNode, "127.0.0.1", agent.port(),
                TlsMaterial.fromPem(files.certificate(), files.key(), files.ca()), 10);
    }

    @Test
    void controllerWithItsCertificateReachesTheAgent() {
        try (RemoteNodeStorage remote = controllerWith(pki.issue(CONTROLLER), NODE)) {
            assertThat(remote.status().nodeName()).isEqualTo(NODE);
            assertThat(remote.pools(Optional.empty())).isEmpty();
        }
    }

    @Test
    void typedErrorsCrossTheNodeApiUnchanged() {
        try (RemoteNodeStorage remote = controllerWith(pki.issue(CONTROLLER), NODE)) {
            assertThatThrownBy(() -> remote.provision(new ProvisionRequest("pvc-1", PoolType.LVM, 1 << 20, 0,
                    Optional.empty(), Optional.empty(), Map.of(), Map.of(), Optional.empty())))
                    .isInstanceOf(StorageException.InvalidArgument.class)
                    .hasMessageContaining("not served on node " + NODE);
        }
    }

    @Test
    void plaintextConnectionIsRefused() throws InterruptedException {
        ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", agent.port()).usePlaintext().build();
        try {
            assertThatThrownBy(() -> NodeStorageGrpc.newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getNodeStatus(GetNodeStatusRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void agentCertificateCannotPoseAsTheController() {
        // Same CA, valid chain, but it names a node, not the controller.
        try (RemoteNodeStorage remote = controllerWith(pki.issue("node-b"), NODE)) {
            assertThatThrownBy(remote::status).isInstanceOf(StorageException.Unavailable.class);
        }
    }

    @Test
    void certificateFromAnotherCaIsRefused() {
        TestPki other = new TestPki(dir, "other");
        TestPki.Files3 forged = other.issue(CONTROLLER);
        // The forger trusts the real CA, so only the agent's check of the client certificate can stop it.
        TestPki.Files3 withRealCa = new TestPki.Files3(forged.certificate(), forged.key(),
                pki.issue(CONTROLLER).ca());
        try (RemoteNodeStorage remote = controllerWith(withRealCa, NODE)) {
            assertThatThrownBy(remote::status).isInstanceOf(StorageException.Unavailable.class);
        }
    }

    @Test
    void controllerRefusesAnAgentThatIsNotTheNodeItDialled() {
        // The agent at this address is node-a; the controller expects node-c there.
        try (RemoteNodeStorage remote = controllerWith(pki.issue(CONTROLLER), "node-c")) {
            assertThatThrownBy(remote::status).isInstanceOf(StorageException.Unavailable.class);
        }
    }
}
