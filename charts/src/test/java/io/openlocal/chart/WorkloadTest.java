package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.PodSpecs.Container;
import io.openlocal.chart.RenderedChart.Manifest;
import io.openlocal.chart.template.Yaml;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Deployments and DaemonSets: resources, probes, identities, privileges, commands, config files, ports. */
class WorkloadTest {

    /** Which launcher command and config file each open-local container runs (README "Processes"). */
    private static final Map<String, String> ROLE_OF_CONTAINER = Map.of(
            "open-local-agent/agent", "agent",
            "open-local-agent/csi-plugin", "csi-node",
            "open-local-csi-controller/csi-plugin", "csi-controller",
            "open-local-controller/controller", "controller",
            "open-local-scheduler-extender/scheduler-extender", "scheduler-extender");

    private static final Map<String, String> SERVICE_ACCOUNTS = Map.of(
            "open-local-agent", "open-local-agent",
            "open-local-csi-controller", "open-local-csi-controller",
            "open-local-controller", "open-local-controller",
            "open-local-scheduler-extender", "open-local-scheduler-extender",
            "open-local-scheduler", "open-local-scheduler");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void everyContainerRequestsAndLimitsCpuAndMemory(String values) {
        for (Container container : PodSpecs.containers(ValueSets.render(values))) {
            JsonNode resources = container.body().path("resources");
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(resources.path(kind).path(resource).asText())
                            .as("%s %s.%s", container, kind, resource).isNotBlank();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void everyContainerHasALivenessProbeAndOpenLocalOnesAlsoReadinessAndStartup(String values) {
        for (Container container : PodSpecs.containers(ValueSets.render(values))) {
            assertThat(container.body().has("livenessProbe")).as("%s livenessProbe", container).isTrue();
            if (container.isOpenLocal()) {
                assertThat(container.body().has("readinessProbe")).as("%s readinessProbe", container).isTrue();
                assertThat(container.body().has("startupProbe")).as("%s startupProbe", container).isTrue();
                JsonNode ready = container.body().path("readinessProbe").path("httpGet");
                assertThat(ready.path("path").asText()).isEqualTo("/health/ready");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void everyProbeTargetsAPortThatAProcessInThePodServes(String values) {
        RenderedChart chart = ValueSets.render(values);
        for (Manifest workload : PodSpecs.workloads(chart)) {
            List<Container> pod = PodSpecs.containers(chart).stream().filter(c -> c.workload() == workload).toList();
            Set<Integer> served = servedPorts(chart, pod);
            for (Container container : pod) {
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    JsonNode spec = container.body().path(probe);
                    JsonNode port = spec.has("httpGet") ? spec.path("httpGet").path("port")
                            : spec.has("tcpSocket") ? spec.path("tcpSocket").path("port") : null;
                    if (port == null) {
                        continue;
                    }
                    var number = container.port(port);
                    assertThat(number).as("%s %s port %s is declared by the container", container, probe, port)
                            .isPresent();
                    assertThat(served).as("%s %s port", container, probe).contains(number.get());
                }
            }
        }
    }

    /** Ports the pod's processes listen on: config server/node API ports, --http-endpoint and --secure-port. */
    private static Set<Integer> servedPorts(RenderedChart chart, List<Container> pod) {
        Set<Integer> ports = new HashSet<>();
        for (Container container : pod) {
            container.httpEndpointPort().ifPresent(ports::add);
            container.flag("--secure-port").map(Integer::parseInt).ifPresent(ports::add);
            if (container.isOpenLocal()) {
                ports.add(httpPort(chart, container));
                if (PodSpecs.configFile(container).isPresent()) {
                    JsonNode config = config(chart, container);
                    if (config.path("nodeApi").has("port") && config.path("csi").path("mode").asText().equals("node")) {
                        ports.add(config.path("nodeApi").path("port").asInt());
                    }
                }
            }
        }
        return ports;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void workloadsRunAsTheirOwnServiceAccount(String values) {
        RenderedChart chart = ValueSets.render(values);
        for (Manifest workload : PodSpecs.workloads(chart)) {
            JsonNode pod = PodSpecs.pod(workload);
            if (workload.name().equals("open-local-spdk-target")) {
                assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
                        .as("spdk_tgt needs no API access").isFalse();
                continue;
            }
            String account = pod.path("serviceAccountName").asText();
            assertThat(account).as("%s service account", workload).isEqualTo(SERVICE_ACCOUNTS.get(workload.name()));
            assertThat(chart.find("ServiceAccount", account)).as("ServiceAccount %s", account).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void onlyTheNodeStorageContainersArePrivileged(String values) {
        Set<String> privileged = new HashSet<>();
        for (Container container : PodSpecs.containers(ValueSets.render(values))) {
            if (container.privileged()) {
                privileged.add(container.toString());
            } else {
                JsonNode security = container.body().path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true))
                        .as("%s allowPrivilegeEscalation", container).isFalse();
                assertThat(PodSpecs.texts(security.path("capabilities").path("drop")))
                        .as("%s drops capabilities", container).containsExactly("ALL");
            }
        }
        assertThat(privileged).isSubsetOf("open-local-agent/agent", "open-local-agent/csi-plugin",
                "open-local-spdk-target/spdk-tgt");
        assertThat(privileged).contains("open-local-agent/agent", "open-local-agent/csi-plugin");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void openLocalContainersRunTheLauncherWithTheirConfigFile(String values) {
        RenderedChart chart = ValueSets.render(values);
        List<String> seen = new ArrayList<>();
        for (Container container : PodSpecs.containers(chart)) {
            if (!container.isOpenLocal()) {
                continue;
            }
            String role = ROLE_OF_CONTAINER.get(container.toString());
            assertThat(role).as("%s is a known open-local process", container).isNotNull();
            seen.add(role);
            assertThat(container.command()).as("%s command", container).containsExactly(Contract.LAUNCHER);
            assertThat(container.args()).as("%s args", container).isEqualTo(Contract.COMMANDS.get(role));
            assertThat(container.port(Yaml.mapper().getNodeFactory().textNode("http")))
                    .as("%s http port = the port its process serves", container)
                    .contains(httpPort(chart, container));
            List<String> env = new ArrayList<>();
            container.body().path("env").forEach(e -> env.add(e.path("name").asText()));
            assertThat(env).as("%s env", container).contains("NODE_NAME", "POD_NAME", "POD_NAMESPACE", "JAVA_OPTS");
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ROLE_OF_CONTAINER.values());
    }

    @Test
    void javaOptsAreTheChartsFlagsPlusWhatTheComponentAdds() {
        String global = "-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC";
        for (Container c : PodSpecs.containers(Charts.renderDefault())) {
            if (c.isOpenLocal()) {
                assertThat(javaOpts(c)).as("%s", c).isEqualTo(global);
            }
        }
        RenderedChart chart = Charts.render("jvm: {components: {extender: \"-Xmn64m\", csiNode: \"-Xss1m\"}}");
        Map<String, String> expected = Map.of(
                "open-local-scheduler-extender/scheduler-extender", global + " -Xmn64m",
                "open-local-agent/csi-plugin", global + " -Xss1m");
        for (Container c : PodSpecs.containers(chart)) {
            if (c.isOpenLocal()) {
                assertThat(javaOpts(c)).as("%s", c).isEqualTo(expected.getOrDefault(c.toString(), global));
            }
        }
    }

    private static String javaOpts(Container container) {
        for (var e : container.body().path("env")) {
            if (e.path("name").asText().equals("JAVA_OPTS")) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError(container + " has no JAVA_OPTS");
    }

    @Test
    void logFormatFollowsTheValueForEveryOpenLocalContainerAndAnUnknownOneIsRefused() {
        for (String format : List.of("json", "text")) {
            RenderedChart chart = Charts.render("logging: {format: " + format + "}");
            List<Container> openLocal = PodSpecs.containers(chart).stream().filter(Container::isOpenLocal).toList();
            assertThat(openLocal).hasSize(ROLE_OF_CONTAINER.size());
            for (Container container : openLocal) {
                assertThat(container.flag("--log-format")).as("%s", container).contains(format);
            }
        }
        assertThatThrownBy(() -> Charts.render("logging: {format: xml}"))
                .isInstanceOf(io.openlocal.chart.template.TemplateException.class)
                .hasMessageContaining("logging.format must be json or text, not \"xml\"");
    }

    /**
     * The HTTP port an open-local process serves: {@code server.port} of its config file, or for the scheduler
     * extender (which takes Open-Local's flags, not a file) its {@code --port} flag.
     */
    static int httpPort(RenderedChart chart, Container container) {
        if (PodSpecs.configFile(container).isPresent()) {
            return config(chart, container).path("server").path("port").asInt();
        }
        return container.flag("--port").map(Integer::parseInt)
                .orElseThrow(() -> new AssertionError(container + " has neither --config nor --port"));
    }

    /** The container's config file, read from the ConfigMap mounted where --config points. */
    static JsonNode config(RenderedChart chart, Container container) {
        String file = PodSpecs.configFile(container).orElseThrow(() -> new AssertionError(container + " has no --config"));
        assertThat(file).startsWith(Contract.CONFIG_DIR + "/");
        JsonNode volume = PodSpecs.volumeHolding(container, file)
                .orElseThrow(() -> new AssertionError(container + " mounts nothing at " + file));
        String configMap = volume.path("configMap").path("name").asText();
        assertThat(configMap).as("%s config volume is a ConfigMap", container).isNotBlank();
        String key = file.substring(file.lastIndexOf('/') + 1);
        String text = chart.get("ConfigMap", configMap).body().path("data").path(key).asText(null);
        assertThat(text).as("ConfigMap %s has key %s", configMap, key).isNotNull();
        try {
            return Yaml.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(configMap + "/" + key + " is not YAML: " + e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void everyMountHasAVolumeAndEveryVolumeIsMounted(String values) {
        RenderedChart chart = ValueSets.render(values);
        for (Manifest workload : PodSpecs.workloads(chart)) {
            Set<String> volumes = new HashSet<>();
            PodSpecs.pod(workload).path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
            Set<String> mounted = new HashSet<>();
            for (Container container : PodSpecs.containers(chart)) {
                if (container.workload() != workload) {
                    continue;
                }
                Set<String> paths = new HashSet<>();
                for (JsonNode mount : container.body().path("volumeMounts")) {
                    assertThat(volumes).as("%s mount %s", container, mount.path("name").asText())
                            .contains(mount.path("name").asText());
                    assertThat(paths.add(mount.path("mountPath").asText()))
                            .as("%s mounts %s twice", container, mount.path("mountPath").asText()).isTrue();
                    mounted.add(mount.path("name").asText());
                }
            }
            assertThat(mounted).as("%s volumes are all mounted", workload).containsExactlyInAnyOrderElementsOf(volumes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void hostNetworkPodsUseDistinctPorts(String values) {
        RenderedChart chart = ValueSets.render(values);
        Map<Integer, String> owners = new HashMap<>();
        for (Container container : PodSpecs.containers(chart)) {
            if (!container.pod().path("hostNetwork").asBoolean(false)) {
                continue;
            }
            Set<Integer> ports = new HashSet<>();
            container.body().path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
            container.httpEndpointPort().ifPresent(ports::add);
            if (container.isOpenLocal()) {
                // A container may declare a port its sidecar serves (the livenessprobe's), so count served ones.
                ports.clear();
                ports.addAll(servedPorts(chart, List.of(container)));
            }
            for (int port : ports) {
                String previous = owners.put(port, container.toString());
                assertThat(previous).as("host port %d of %s is also used by %s", port, container, previous).isNull();
            }
        }
        assertThat(owners).containsKey(Contract.NODE_API_PORT);
    }

    @Test
    void nodePodsRegisterTheDriverWithKubeletAtOpenLocalsSocketPaths() {
        RenderedChart chart = Charts.renderDefault();
        Container registrar = PodSpecs.container(chart, "open-local-agent", "csi-node-driver-registrar");
        assertThat(registrar.args()).contains("--csi-address=" + Contract.CSI_SOCKET_IN_POD,
                "--kubelet-registration-path=" + Contract.KUBELET_REGISTRATION_PATH);
        assertThat(hostPathAt(registrar, "/registration")).isEqualTo("/var/lib/kubelet/plugins_registry");
        for (String name : List.of("csi-plugin", "csi-node-driver-registrar", "livenessprobe")) {
            Container container = PodSpecs.container(chart, "open-local-agent", name);
            assertThat(hostPathAt(container, "/csi")).as(name).isEqualTo("/var/lib/kubelet/plugins/" + Contract.DRIVER);
        }
        Container plugin = PodSpecs.container(chart, "open-local-agent", "csi-plugin");
        assertThat(WorkloadTest.config(chart, plugin).path("csi").path("endpoint").asText())
                .isEqualTo("unix://" + Contract.CSI_SOCKET_IN_POD);
        JsonNode kubelet = plugin.mountAt("/var/lib/kubelet").orElseThrow();
        assertThat(kubelet.path("mountPropagation").asText()).isEqualTo("Bidirectional");
        assertThat(plugin.mountAt("/dev").orElseThrow().path("mountPropagation").asText()).isEqualTo("HostToContainer");
        Container livenessprobe = PodSpecs.container(chart, "open-local-agent", "livenessprobe");
        assertThat(livenessprobe.args()).contains("--csi-address=" + Contract.CSI_SOCKET_IN_POD);
    }

    @Test
    void aDifferentKubeletDirectoryMovesEveryKubeletPath() {
        RenderedChart chart = Charts.render("kubeletDir: /var/lib/k0s/kubelet");
        Container registrar = PodSpecs.container(chart, "open-local-agent", "csi-node-driver-registrar");
        assertThat(registrar.args())
                .contains("--kubelet-registration-path=/var/lib/k0s/kubelet/plugins/local.csi.aliyun.com/csi.sock");
        assertThat(hostPathAt(registrar, "/registration")).isEqualTo("/var/lib/k0s/kubelet/plugins_registry");
        Container plugin = PodSpecs.container(chart, "open-local-agent", "csi-plugin");
        assertThat(hostPathAt(plugin, "/var/lib/k0s/kubelet")).isEqualTo("/var/lib/k0s/kubelet");
        assertThat(config(chart, plugin).path("csi").path("kubeletDir").asText()).isEqualTo("/var/lib/k0s/kubelet");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void csiProvisionerNamesTheClaimInCreateVolumeSoFailuresBecomeEventsOnIt(String values) {
        // Without --extra-create-metadata CreateVolume carries no csi.storage.k8s.io/pvc/name and pvc/namespace,
        // and the plugin has no claim to record ProvisioningFailedNoSpace & co. on.
        Container provisioner = PodSpecs.container(ValueSets.render(values), "open-local-csi-controller",
                "csi-provisioner");
        assertThat(provisioner.args()).as(values).contains("--extra-create-metadata=true")
                .noneMatch(a -> a.startsWith("--extra-create-metadata=") && !a.equals("--extra-create-metadata=true"));
    }

    @Test
    void csiControllerSidecarsProvisionWithTopologyAndOpenLocalsVolumeNames() {
        RenderedChart chart = Charts.renderDefault();
        Container provisioner = PodSpecs.container(chart, "open-local-csi-controller", "csi-provisioner");
        assertThat(provisioner.args()).contains("--csi-address=" + Contract.CSI_SOCKET_IN_POD,
                "--feature-gates=Topology=true", "--volume-name-prefix=local", "--extra-create-metadata=true",
                "--strict-topology=true", "--leader-election=true");
        for (String name : List.of("csi-provisioner", "csi-resizer", "csi-snapshotter")) {
            Container sidecar = PodSpecs.container(chart, "open-local-csi-controller", name);
            assertThat(sidecar.args()).as(name).contains("--leader-election=true",
                    "--leader-election-namespace=$(POD_NAMESPACE)", "--csi-address=" + Contract.CSI_SOCKET_IN_POD);
            assertThat(sidecar.body().path("livenessProbe").path("httpGet").path("path").asText())
                    .as(name).isEqualTo("/healthz/leader-election");
            assertThat(sidecar.mountAt("/csi")).as(name).isPresent();
        }
        Container plugin = PodSpecs.container(chart, "open-local-csi-controller", "csi-plugin");
        assertThat(PodSpecs.volumeHolding(plugin, "/csi").orElseThrow().has("emptyDir")).isTrue();
        JsonNode config = config(chart, plugin);
        assertThat(config.path("csi").path("mode").asText()).isEqualTo("controller");
        assertThat(config.path("csi").path("lvNamePrefix").asText()).isEqualTo("local");
        // The CSI controller does not call the extender (volumes are placed on the node the provisioner names).
        assertThat(config.has("extender")).isFalse();
    }

    @Test
    void withoutSnapshotsTheSnapshotterIsNotDeployed() {
        RenderedChart chart = Charts.render("snapshot: {enabled: false}");
        assertThat(PodSpecs.containers(chart)).extracting(Container::name).doesNotContain("csi-snapshotter");
        assertThat(chart.ofKind("VolumeSnapshotClass")).isEmpty();
    }

    @Test
    void nodeApiCertificatesAreMountedWhereEachSidesConfigLooksForThem() {
        for (String values : List.of("default", "optional-features")) {
            RenderedChart chart = ValueSets.render(values);
            assertTlsFilesComeFrom(chart, PodSpecs.container(chart, "open-local-agent", "csi-plugin"),
                    "open-local-node-api-server-tls");
            assertTlsFilesComeFrom(chart, PodSpecs.container(chart, "open-local-csi-controller", "csi-plugin"),
                    "open-local-node-api-client-tls");
        }
    }

    private static void assertTlsFilesComeFrom(RenderedChart chart, Container container, String secret) {
        JsonNode tls = config(chart, container).path("nodeApi").path("tls");
        for (String field : List.of("certFile", "keyFile", "caFile")) {
            String path = tls.path(field).asText();
            assertThat(path).as("%s nodeApi.tls.%s", container, field).startsWith(Contract.TLS_DIR + "/");
            JsonNode volume = PodSpecs.volumeHolding(container, path).orElseThrow();
            assertThat(volume.path("secret").path("secretName").asText()).as("%s %s", container, path)
                    .isEqualTo(secret);
            String key = path.substring(path.lastIndexOf('/') + 1);
            boolean generated = chart.find("Secret", secret).map(s -> s.body().path("data").has(key)).orElse(false);
            boolean issued = chart.find("Certificate", secret)
                    .map(c -> c.body().path("spec").path("secretName").asText().equals(secret)).orElse(false);
            assertThat(generated || issued).as("%s key %s is generated or issued by cert-manager", secret, key)
                    .isTrue();
        }
    }

    @Test
    void spdkNodesGetTheTargetsSocketDirectoryAndTheTargetGetsHugepages() {
        RenderedChart chart = ValueSets.render("spdk-with-target");
        for (String name : List.of("agent", "csi-plugin")) {
            Container container = PodSpecs.container(chart, "open-local-agent", name);
            assertThat(hostPathAt(container, "/var/tmp")).as(name).isEqualTo("/var/tmp");
        }
        Container plugin = PodSpecs.container(chart, "open-local-agent", "csi-plugin");
        // The CSI node plugin exports SPDK volumes to this node's initiator at the chart's NVMe-oF listener, through
        // the same target socket (ServiceConfigTest parses the file with the plugin's and the backend's parsers).
        assertThat(config(chart, plugin).path("spdk").path("rpcSocket").asText()).isEqualTo("/var/tmp/spdk.sock");
        assertThat(config(chart, plugin).path("spdk").path("nvmfAddress").asText()).isEqualTo("127.0.0.1");
        // nvme-cli in the plugin needs the host's /dev (nvme-fabrics, the namespaces) and /sys.
        assertThat(hostPathAt(plugin, "/dev")).isEqualTo("/dev");
        assertThat(plugin.body().path("securityContext").path("privileged").asBoolean()).isTrue();
        assertThat(hostPathAt(plugin, "/var/run/kata-containers/vhost-user/block"))
                .isEqualTo("/var/run/kata-containers/vhost-user/block");
        Container target = PodSpecs.container(chart, "open-local-spdk-target", "spdk-tgt");
        assertThat(target.body().path("resources").path("limits").path("hugepages-2Mi").asText()).isEqualTo("1Gi");
        assertThat(target.args()).isEmpty();
        assertThat(target.command()).contains("--rpc-socket=/var/tmp/spdk.sock");
        assertThat(target.pod().path("nodeSelector").path("open-local.io/spdk").asText()).isEqualTo("true");
        assertThat(PodSpecs.volumeHolding(target, "/dev/hugepages").orElseThrow().path("emptyDir").path("medium")
                .asText()).isEqualTo("HugePages");

        RenderedChart plain = Charts.renderDefault();
        Container plainPlugin = PodSpecs.container(plain, "open-local-agent", "csi-plugin");
        assertThat(plainPlugin.mountAt("/var/tmp")).as("no SPDK socket without spdk.enabled").isEmpty();
        assertThat(plain.find("DaemonSet", "open-local-spdk-target")).isEmpty();
    }

    private static String hostPathAt(Container container, String path) {
        JsonNode volume = PodSpecs.volumeHolding(container, path)
                .orElseThrow(() -> new AssertionError(container + " mounts nothing at " + path));
        return volume.path("hostPath").path("path").asText();
    }
}
