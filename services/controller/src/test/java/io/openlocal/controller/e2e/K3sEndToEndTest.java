package io.openlocal.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Yaml;
import io.openlocal.agent.AgentConfig;
import io.openlocal.agent.AgentDaemon;
import io.openlocal.agent.AgentHandle;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.controller.ControllerConfig;
import io.openlocal.controller.ControllerDaemon;
import io.openlocal.controller.ControllerHandle;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageInitConfig;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * End to end on a real Kubernetes (K3s in a container): install our CRDs, run the controller (with leader
 * election on a real Lease) and an agent for the K3s node, and see the node's NodeLocalStorage appear with a
 * status. This is where what the API-server emulator does not do is covered: CRD schema validation and pruning,
 * the status subresource's resourceVersion checks, Lease creation by client-java's LeaseLock, field selectors on
 * Events.
 *
 * <p>Skipped where there is no Docker engine (as on the development machines of this project); the same
 * behaviour is covered against the emulator by ControllerOnEmulatorTest and the agent's AgentOnEmulatorTest.
 * The agent here runs in the test's JVM with its backends switched off, so it touches no disk of the host.
 */
class K3sEndToEndTest {

    private static final DockerImageName K3S = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");

    @TempDir
    Path dir;

    @Test
    void controllerAndAgentBringTheNodesNlsWithStatusOnRealKubernetes() throws Exception {
        Assumptions.assumeTrue(dockerAvailable(), "no Docker engine here, so no K3s: this end-to-end test needs one"
                + " (the emulator tests cover the same flows)");
        try (K3sContainer k3s = new K3sContainer(K3S)) {
            k3s.start();
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), k3s.getKubeConfigYaml());
            ApiClient client = KubeClients.create(Optional.empty(), Optional.of(kubeconfig));
            installCrds(client);
            String node = new CoreV1Api(client).listNode().execute().getItems().getFirst().getMetadata().getName();
            Crds.initConfigs(client).create(new NodeLocalStorageInitConfig(new V1ObjectMeta().name("open-local"),
                    new NodeLocalStorageInitConfigSpec(new NodeLocalStorageInitConfigSpec.GlobalConfig(
                            new ListConfig(null, null, new IncludeExclude(List.of("open-local-pool-[0-9]+"), null)),
                            null, null), null))).throwsApiException();

            ControllerConfig controllerConfig = new ControllerConfig("open-local", true, 2, Duration.ofMinutes(10),
                    Optional.empty(), Optional.of(kubeconfig), true, "kube-system", "open-local-controller",
                    "e2e-controller", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
                    "127.0.0.1", 0);
            Map<PoolType, AgentConfig.BackendConfig> off = Map.of(
                    PoolType.LVM, new AgentConfig.BackendConfig(false, Map.of()),
                    PoolType.DEVICE, new AgentConfig.BackendConfig(false, Map.of()),
                    PoolType.MOUNT_POINT, new AgentConfig.BackendConfig(false, Map.of()),
                    PoolType.SPDK, new AgentConfig.BackendConfig(false, Map.of()));
            AgentConfig agentConfig = new AgentConfig(node, Duration.ofSeconds(5), dir.resolve("state"),
                    Duration.ofMinutes(30), Optional.empty(), Optional.of(kubeconfig), "127.0.0.1", 0, off);
            try (ControllerHandle controller = ControllerDaemon.start(controllerConfig);
                 AgentHandle agent = AgentDaemon.start(agentConfig)) {
                var nlsApi = Crds.nodeLocalStorages(client);
                await().atMost(Duration.ofMinutes(2)).until(() -> {
                    var r = nlsApi.get(node);
                    return r.isSuccess() && r.getObject().getStatus() != null;
                });
                NodeLocalStorage nls = nlsApi.get(node).throwsApiException().getObject();
                assertThat(nls.getSpec().listConfig().vgs().include()).containsExactly("open-local-pool-[0-9]+");
                assertThat(nls.getStatus().nodeStorageInfo().phase()).isEqualTo("Running");
                assertThat(controller.leading()).isTrue();
                assertThat(agent.readinessProblem()).isNull();
                // Condition survives the real API server only once the CRD declares status.conditions.
                if (nls.getStatus().condition(Condition.SPEC_VALID) != null) {
                    assertThat(nls.getStatus().condition(Condition.SPEC_VALID).status()).isEqualTo("True");
                }
            }
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void installCrds(ApiClient client) throws Exception {
        ApiextensionsV1Api api = new ApiextensionsV1Api(client);
        Path crds = repoRoot().resolve("charts/open-local/crds");
        List<Path> files;
        try (var list = Files.list(crds)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            V1CustomResourceDefinition crd = Yaml.loadAs(file.toFile(), V1CustomResourceDefinition.class);
            api.createCustomResourceDefinition(crd).execute();
            String name = crd.getMetadata().getName();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                var status = api.readCustomResourceDefinition(name).execute().getStatus();
                return status != null && status.getConditions() != null && status.getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
        }
    }

    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("charts/open-local/crds"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find charts/open-local/crds");
    }
}
