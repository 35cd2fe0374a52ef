package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.agent.AgentConfig;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.spdk.SpdkSettings;
import io.openlocal.config.Settings;
import io.openlocal.config.csi.CsiConfig;
import io.openlocal.controller.ControllerConfig;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.NodeApiServer;
import io.openlocal.csi.nodeapi.PoolChooser;
import io.openlocal.csi.nodeapi.RemoteNodeStorage;
import io.openlocal.csi.tls.TlsMaterial;
import io.openlocal.csi.volume.BackendNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every config file the chart renders is read by the parser of the process that reads it in the pod (the services
 * refuse unknown keys), and the certificates Helm generates work with the node API's own TLS code: the chart and
 * the services cannot drift apart without this failing. (The extender's file is not checked here yet.)
 */
class ServiceConfigTest {

    private static final String NODE = "node-1";

    /** The text of the file a container's --config names, from the ConfigMap mounted there. */
    static String configText(RenderedChart chart, String workload, String container) {
        PodSpecs.Container c = PodSpecs.container(chart, workload, container);
        String file = PodSpecs.configFile(c).orElseThrow(() -> new AssertionError(c + " has no --config"));
        String configMap = PodSpecs.volumeHolding(c, file).orElseThrow().path("configMap").path("name").asText();
        String key = file.substring(file.lastIndexOf('/') + 1);
        String text = chart.get("ConfigMap", configMap).body().path("data").path(key).asText(null);
        assertThat(text).as("ConfigMap %s key %s", configMap, key).isNotNull();
        return text;
    }

    @ParameterizedTest
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void theAgentReadsItsFile(String values) {
        RenderedChart chart = ValueSets.render(values);
        AgentConfig agent = AgentConfig.from(Settings.fromYaml(configText(chart, "open-local-agent", "agent"))
                .withOverride("nodeName", NODE));
        assertThat(agent.serverPort()).isEqualTo(23100);
        assertThat(agent.stateDir()).isEqualTo(Path.of("/var/lib/open-local"));
        assertThat(agent.backend(PoolType.DEVICE).settings()).containsEntry("device.include", "^(s|v|xv)d[a-z]+$");
        assertThat(agent.backend(PoolType.LVM).settings()).containsEntry("lvNamePrefix", "local");
    }

    @ParameterizedTest
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void theCsiNodePluginReadsItsFile(String values) {
        RenderedChart chart = ValueSets.render(values);
        CsiConfig csi = CsiConfig.from(Settings.fromYaml(configText(chart, "open-local-agent", "csi-plugin"))
                .withOverride("nodeName", NODE));
        assertThat(csi.mode()).isEqualTo(CsiConfig.Mode.NODE);
        assertThat(csi.serverPort()).isEqualTo(23101);
        assertThat(csi.nodeApiPort()).isEqualTo(Contract.NODE_API_PORT);
        assertThat(csi.socketPath()).hasToString(Contract.CSI_SOCKET_IN_POD);
        assertThat(csi.tls().keyFile()).hasToString(Contract.TLS_DIR + "/tls.key");
        assertThat(csi.node().orElseThrow().allowedClientNames()).containsExactly("open-local-csi-controller");
        assertThat(csi.node().orElseThrow().vgInclude()).contains("open-local-pool-[0-9]+");
        // iops/bps: the cgroup hierarchy the plugin writes to is the host's, mounted into its container.
        PodSpecs.Container plugin = PodSpecs.container(chart, "open-local-agent", "csi-plugin");
        assertThat(PodSpecs.volumeHolding(plugin, csi.node().orElseThrow().cgroupMount().toString()).orElseThrow()
                .path("hostPath").path("path").asText()).isEqualTo("/sys/fs/cgroup");
        assertThat(csi.node().orElseThrow().kubeletCgroupRoot()).isEqualTo("/");
        // SPDK settings exactly when SPDK is on, and ones the SPDK backend itself accepts.
        boolean spdk = values.startsWith("spdk");
        assertThat(csi.node().orElseThrow().spdk().isPresent()).as("spdk section present").isEqualTo(spdk);
        csi.node().orElseThrow().spdk().ifPresent(settings -> {
            SpdkSettings parsed = SpdkSettings.from(NODE, settings);
            assertThat(parsed.rpcSocket()).hasToString("/var/tmp/spdk.sock");
            assertThat(parsed.nvmfPort()).isEqualTo(4420);
        });
    }

    @ParameterizedTest
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void theCsiControllerReadsItsFile(String values) {
        RenderedChart chart = ValueSets.render(values);
        CsiConfig csi = CsiConfig.from(Settings.fromYaml(configText(chart, "open-local-csi-controller",
                "csi-plugin")));
        assertThat(csi.mode()).isEqualTo(CsiConfig.Mode.CONTROLLER);
        assertThat(csi.serverPort()).isEqualTo(23110);
        assertThat(csi.nodeApiPort()).isEqualTo(Contract.NODE_API_PORT);
        assertThat(csi.controller().orElseThrow().serverName()).isEqualTo("open-local-node-api");
    }

    @ParameterizedTest
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void theControllerReadsItsFile(String values) {
        RenderedChart chart = ValueSets.render(values);
        ControllerConfig controller = ControllerConfig.from(Settings.fromYaml(configText(chart,
                "open-local-controller", "controller")));
        assertThat(controller.serverPort()).isEqualTo(23120);
        // The name of the NodeLocalStorageInitConfig the chart creates (when it creates one).
        assertThat(controller.initConfig()).isEqualTo("open-local");
        chart.find("NodeLocalStorageInitConfig", "open-local")
                .ifPresent(nlsc -> assertThat(nlsc.name()).isEqualTo(controller.initConfig()));
        assertThat(controller.leaderElection()).isTrue();
        assertThat(controller.leaseNamespace()).isEqualTo(Charts.NAMESPACE);
    }

    @Test
    void helmsCertificatesCarryTheNodeApiBetweenTheTwoPlugins(@TempDir Path dir) {
        RenderedChart chart = Charts.renderDefault();
        CsiConfig node = CsiConfig.from(Settings.fromYaml(configText(chart, "open-local-agent", "csi-plugin"))
                .withOverride("nodeName", NODE));
        CsiConfig controller = CsiConfig.from(Settings.fromYaml(configText(chart, "open-local-csi-controller",
                "csi-plugin")));
        TlsMaterial server = material(chart, "open-local-node-api-server-tls", dir.resolve("server"));
        TlsMaterial client = material(chart, "open-local-node-api-client-tls", dir.resolve("client"));
        LocalNodeStorage storage = new LocalNodeStorage(NODE, Map.of(), dir.resolve("state"),
                new PoolChooser(PoolChooser.Strategy.BINPACK), Clock.systemUTC(), p -> true, BackendNames.standard());
        try (NodeApiServer api = NodeApiServer.start("127.0.0.1", 0, server,
                node.node().orElseThrow().allowedClientNames(), storage);
             RemoteNodeStorage remote = RemoteNodeStorage.connect(NODE, controller.controller().orElseThrow()
                     .serverName(), "127.0.0.1", api.port(), client, 10)) {
            assertThat(remote.status().nodeName()).isEqualTo(NODE);
        }
    }

    /** Writes a rendered Secret's files (Helm's PKCS#1 key) and loads them with the plugin's TLS loader. */
    private static TlsMaterial material(RenderedChart chart, String secret, Path dir) {
        try {
            Files.createDirectories(dir);
            for (String key : new String[] {"ca.crt", "tls.crt", "tls.key"}) {
                String encoded = chart.get("Secret", secret).body().path("data").path(key).asText();
                Files.writeString(dir.resolve(key), new String(Base64.getDecoder().decode(encoded),
                        StandardCharsets.US_ASCII));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(dir.resolve("tls.key")).content().startsWith("-----BEGIN RSA PRIVATE KEY-----");
        return TlsMaterial.fromPem(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
    }
}
