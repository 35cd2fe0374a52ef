package io.openlocal.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.openlocal.agent.AgentConfig;
import io.openlocal.agent.AgentConfig.BackendConfig;
import io.openlocal.agent.AgentDaemon;
import io.openlocal.agent.AgentHandle;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.NodeLocalStorageStatus.SpdkStore;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.crd.ResourceToBeInited.LvstoreToInit;
import io.openlocal.kube.crd.SpdkConfig;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import io.openlocal.testinfra.spdk.ShortTempDir;
import io.openlocal.testinfra.spdk.SpdkTargetEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node becomes an SPDK node when its NLS names a socket: the agent builds the real SPDK backend (found by
 * ServiceLoader) with that socket and creates the lvstores the spec lists. The target is the SPDK target
 * emulator of test-infra (JSON-RPC over a unix socket; it moves no data); the other backends are off so the
 * test touches no disk of the host.
 */
class SpdkNodeTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final String NODE = "spdk-node";

    private static NodeLocalStorage read() throws Exception {
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        return Crds.nodeLocalStorages(client).get(NODE).throwsApiException().getObject();
    }

    private static void replaceSpec(NodeLocalStorageSpec spec) throws Exception {
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        NodeLocalStorage nls = read();
        nls.setSpec(spec);
        Crds.nodeLocalStorages(client).update(nls).throwsApiException();
    }

    @Test
    void socketInTheSpecMakesAnSpdkNodeWhoseLvstoresAreCreatedAndReported() throws Exception {
        try (ShortTempDir dir = ShortTempDir.create();
             SpdkTargetEmulator target = SpdkTargetEmulator.builder(dir.resolve("spdk.sock"))
                     .vhostSocketDir(dir.path()).start()) {
            Path image = dir.sparseFile("disk0.img", 64L * 1024 * 1024);
            Map<PoolType, BackendConfig> backends = Map.of(
                    PoolType.LVM, new BackendConfig(false, Map.of()),
                    PoolType.DEVICE, new BackendConfig(false, Map.of()),
                    PoolType.MOUNT_POINT, new BackendConfig(false, Map.of()),
                    PoolType.SPDK, new BackendConfig(false, Map.of("callTimeoutMillis", "2000",
                            "connectTimeoutMillis", "300", "vhostSocketDir", dir.path().toString())));
            AgentConfig config = new AgentConfig(NODE, Duration.ofSeconds(1), dir.resolve("state"),
                    Duration.ofMinutes(30), Optional.of(api.url()), Optional.empty(), "127.0.0.1", 0, backends);
            ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
            var lvstores = new ResourceToBeInited(null, null, List.of(new LvstoreToInit("lvs0", "aio:" + image,
                    "1Mi")));
            var list = new ListConfig(null, null, new IncludeExclude(List.of("lvs[0-9]+"), null));
            Crds.nodeLocalStorages(client).create(new NodeLocalStorage(new V1ObjectMeta().name(NODE),
                    new NodeLocalStorageSpec(NODE, list, lvstores, null), null)).throwsApiException();

            try (AgentHandle agent = AgentDaemon.start(config, new AgentDaemon.Wiring(BackendRegistry.load(),
                    ProcessCommandRunner.standard(), p -> Files.exists(Path.of(p)), Clock.systemUTC(), client))) {
                // not an SPDK node yet: the lvstore is refused, nothing is asked of the target
                await().atMost(Duration.ofSeconds(20)).until(() -> read().getStatus() != null);
                Condition refused = read().getStatus().condition(Condition.RESOURCES_INITIALIZED);
                assertThat(refused.reason()).isEqualTo("InitRefused");
                assertThat(refused.message()).contains("not an SPDK node");

                replaceSpec(new NodeLocalStorageSpec(NODE, list, lvstores,
                        new SpdkConfig("aio", target.socketPath().toString())));
                await().atMost(Duration.ofSeconds(20)).until(() -> !read().getStatus().filteredStorageInfo()
                        .spdkStores().isEmpty());
                NodeLocalStorageStatus s = read().getStatus();
                assertThat(s.filteredStorageInfo().spdkStores()).containsExactly("lvs0");
                SpdkStore store = s.nodeStorageInfo().spdkStores().getFirst();
                assertThat(store.name()).isEqualTo("lvs0");
                assertThat(store.clusterSize()).isEqualTo(1024L * 1024);
                assertThat(store.total()).isPositive().isLessThanOrEqualTo(64L * 1024 * 1024);
                assertThat(store.uuid()).isNotBlank();
                assertThat(s.condition(Condition.RESOURCES_INITIALIZED).reason()).isEqualTo("AllPresent");
                assertThat(s.condition(Condition.DISCOVERED).status()).isEqualTo("True");

                // the socket removed: no longer an SPDK node, its lvstores are no longer reported
                replaceSpec(new NodeLocalStorageSpec(NODE, list, null, null));
                await().atMost(Duration.ofSeconds(20)).until(() -> read().getStatus().nodeStorageInfo().spdkStores()
                        .isEmpty());
                assertThat(agent.readinessProblem()).isNull();
            }
        }
    }
}
