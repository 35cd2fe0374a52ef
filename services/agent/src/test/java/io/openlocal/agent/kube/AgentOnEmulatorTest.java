package io.openlocal.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.openlocal.agent.AgentConfig;
import io.openlocal.agent.AgentDaemon;
import io.openlocal.agent.AgentHandle;
import io.openlocal.agent.testing.ConflictProxy;
import io.openlocal.agent.testing.MemoryNode;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.error.StorageException;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's Kubernetes wiring (real client-java informer, work queue, status subresource, Events) against the
 * API-server emulator, on memory backends so these tests need no disks (the loop-device tests cover real
 * backends).
 *
 * <p>What the emulator does not do, and so what these tests cannot show: it does not validate objects against
 * the CRD schema or prune unknown fields; it ignores field selectors on Events ({@code involvedObject.name});
 * a PUT on the main resource replaces the status too (a real API server keeps it). It does apply
 * {@code metadata.name} field selectors to NLS list and watch, which {@link #informerHoldsOnlyTheOwnNls} relies
 * on.
 */
class AgentOnEmulatorTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final String NLS_PATH = "/apis/csi.aliyun.com/v1alpha1/nodelocalstorages";

    @TempDir
    Path stateDir;

    private final List<AgentHandle> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(AgentHandle::close);
    }

    private AgentHandle startAgent(String node, MemoryNode memory, Duration interval) throws Exception {
        AgentConfig config = new AgentConfig(node, interval, stateDir, Duration.ofMinutes(30),
                Optional.of(api.url()), Optional.empty(), "127.0.0.1", 0, MemoryNode.allEnabled());
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        AgentHandle handle = AgentDaemon.start(config, new AgentDaemon.Wiring(memory.registry(),
                (Command c) -> {
                    throw new StorageException.Unavailable("no commands in this test: " + c.display());
                }, memory.existingDevices::contains, Clock.systemUTC(), client));
        agents.add(handle);
        return handle;
    }

    private static void createNls(String name, String specJson) {
        api.create(NLS_PATH, """
                {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage","metadata":{"name":"%s"},
                 "spec":%s}""".formatted(name, specJson));
    }

    private static NodeLocalStorage read(String name) throws Exception {
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        return Crds.nodeLocalStorages(client).get(name).throwsApiException().getObject();
    }

    private static NodeLocalStorageStatus status(String name) throws Exception {
        return read(name).getStatus();
    }

    private static List<JsonObject> events(String name) {
        // Emulator gap: the involvedObject.name field selector is ignored, so filter here.
        JsonArray items = JsonParser.parseString(api.request("GET", "/api/v1/namespaces/default/events", null)
                .body()).getAsJsonObject().getAsJsonArray("items");
        return StreamSupport.stream(items.spliterator(), false).map(e -> e.getAsJsonObject())
                .filter(e -> e.getAsJsonObject("involvedObject").get("name").getAsString().equals(name)).toList();
    }

    @Test
    void informerHoldsOnlyTheOwnNlsAndOnlyItsStatusIsWritten() throws Exception {
        createNls("node-a", "{\"nodeName\":\"node-a\"}");
        createNls("node-b", "{\"nodeName\":\"node-b\"}");
        MemoryNode memory = new MemoryNode().device("/dev/sdb", false);
        AgentHandle agent = startAgent("node-a", memory, Duration.ofHours(1));

        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-a") != null);
        assertThat(status("node-a").nodeStorageInfo().deviceInfo()).extracting(d -> d.name())
                .containsExactly("/dev/sdb");
        assertThat(status("node-a").condition(Condition.DISCOVERED).status()).isEqualTo("True");
        assertThat(status("node-b")).isNull();
        assertThat(agent.cachedNodeLocalStorages()).containsExactly("node-a");
    }

    @Test
    void specChangeInitialisesTheVgReportsItAndRecordsAnEvent() throws Exception {
        createNls("node-c", "{\"nodeName\":\"node-c\",\"listConfig\":{\"vgs\":{\"include\":[\"pool[0-9]+\"]}}}");
        MemoryNode memory = new MemoryNode().device("/dev/sdb", false).device("/dev/sdc", false);
        startAgent("node-c", memory, Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-c") != null);

        var patch = api.request("PATCH", NLS_PATH + "/node-c", """
                {"spec":{"resourceToBeInited":{"vgs":[{"name":"pool0","devices":["/dev/sdb","/dev/sdc"]}]}}}""");
        assertThat(patch.statusCode() / 100).as(patch.body()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(20)).until(() -> !status("node-c").filteredStorageInfo().volumeGroups()
                .isEmpty());
        NodeLocalStorageStatus s = status("node-c");
        assertThat(s.filteredStorageInfo().volumeGroups()).containsExactly("pool0");
        assertThat(s.nodeStorageInfo().volumeGroups().getFirst().physicalVolumes())
                .containsExactly("/dev/sdb", "/dev/sdc");
        assertThat(s.condition(Condition.RESOURCES_INITIALIZED).reason()).isEqualTo("AllPresent");
        await().atMost(Duration.ofSeconds(10)).until(() -> !events("node-c").isEmpty());
        JsonObject event = events("node-c").getFirst();
        assertThat(event.get("reason").getAsString()).isEqualTo("Initialized");
        assertThat(event.get("message").getAsString()).contains("created VG pool0 from /dev/sdb, /dev/sdc");
        assertThat(event.getAsJsonObject("source").get("host").getAsString()).isEqualTo("node-c");
    }

    @Test
    void foreignDataIsRefusedWithAConditionAndOneWarningEventAndTheAgentKeepsRunning() throws Exception {
        MemoryNode memory = new MemoryNode().device("/dev/sdb", false);
        memory.lvm.foreignData.put("/dev/sdb", "an xfs filesystem");
        createNls("node-d", "{\"nodeName\":\"node-d\",\"resourceToBeInited\":{\"vgs\":[{\"name\":\"pool0\","
                + "\"devices\":[\"/dev/sdb\"]}]}}");
        AgentHandle agent = startAgent("node-d", memory, Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-d") != null
                && "InitRefused".equals(status("node-d").condition(Condition.RESOURCES_INITIALIZED).reason()));
        assertThat(status("node-d").condition(Condition.RESOURCES_INITIALIZED).message())
                .contains("/dev/sdb", "xfs filesystem");
        long passes = agent.passes();
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.passes() >= passes + 3);
        assertThat(events("node-d")).singleElement().satisfies(e -> {
            assertThat(e.get("type").getAsString()).isEqualTo("Warning");
            assertThat(e.get("reason").getAsString()).isEqualTo("InitRefused");
        });
        assertThat(memory.lvm.pools).isEmpty();
        assertThat(agent.readinessProblem()).isNull();
    }

    @Test
    void statusIsWrittenOnlyWhenItChangesAndARestartChangesNothing() throws Exception {
        MemoryNode memory = new MemoryNode().device("/dev/sdb", false).device("/dev/sdc", false);
        createNls("node-e", "{\"nodeName\":\"node-e\",\"listConfig\":{\"vgs\":{\"include\":[\".*\"]}},"
                + "\"resourceToBeInited\":{\"vgs\":[{\"name\":\"pool0\",\"devices\":[\"/dev/sdb\"]}]}}");
        AgentHandle first = startAgent("node-e", memory, Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-e") != null
                && status("node-e").filteredStorageInfo().volumeGroups().contains("pool0"));
        long passes = first.passes();
        await().atMost(Duration.ofSeconds(20)).until(() -> first.passes() >= passes + 2);
        String version = read("node-e").getMetadata().getResourceVersion();
        int inits = memory.lvm.initCalls.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> first.passes() >= passes + 4);
        assertThat(read("node-e").getMetadata().getResourceVersion()).isEqualTo(version);

        first.close();
        agents.remove(first);
        AgentHandle second = startAgent("node-e", memory, Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> second.passes() >= 3);
        assertThat(read("node-e").getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(memory.lvm.initCalls.get()).isEqualTo(inits);
        assertThat(events("node-e")).extracting(e -> e.get("reason").getAsString()).containsExactly("Initialized");
    }

    @Test
    void agentWaitsForItsNlsThenFillsItAndSurvivesItsDeletion() throws Exception {
        MemoryNode memory = new MemoryNode().device("/dev/sdb", false);
        AgentHandle agent = startAgent("node-f", memory, Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.passes() >= 1);
        assertThat(agent.readinessProblem()).contains("waiting for NodeLocalStorage node-f");

        createNls("node-f", "{\"nodeName\":\"node-f\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-f") != null);
        assertThat(api.request("DELETE", NLS_PATH + "/node-f", null).statusCode() / 100).isEqualTo(2);
        createNls("node-f", "{\"nodeName\":\"node-f\"}"); // as the controller recreates it
        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-f") != null);
        assertThat(agent.readinessProblem()).isNull();
    }

    @Test
    void badSpecGivesConditionsAndEventsWithClearMessagesTouchesNothingAndDoesNotLoop() throws Exception {
        MemoryNode memory = new MemoryNode().device("/dev/sdb", false).device("/dev/sdc", false);
        createNls("node-i", """
                {"nodeName":"node-i",
                 "listConfig":{"devices":{"include":["/dev/sd[b-"]},"vgs":{"include":["pool.*"]}},
                 "resourceToBeInited":{
                   "vgs":[{"name":"pool0","devices":["/dev/sdb"]},{"name":"pool0","devices":["/dev/sdc"]},
                          {"name":"pool1","devices":["/dev/sdx"]}],
                   "lvstores":[{"name":"lvs0","device":"/dev/sdc","clusterSize":"-4Mi"}]}}""");
        AgentHandle agent = startAgent("node-i", memory, Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-i") != null);
        NodeLocalStorageStatus s = status("node-i");
        Condition valid = s.condition(Condition.SPEC_VALID);
        assertThat(valid.status()).isEqualTo("False");
        assertThat(valid.message()).contains(
                "spec.listConfig.devices.include[0]: '/dev/sd[b-' is not a valid regular expression",
                "spec.resourceToBeInited.vgs[1].name: duplicate VG name 'pool0'",
                "spec.resourceToBeInited.lvstores[0].clusterSize: must be a positive quantity such as 4Mi, got '-4Mi'");
        Condition init = s.condition(Condition.RESOURCES_INITIALIZED);
        assertThat(init.status()).isEqualTo("False");
        assertThat(init.reason()).isEqualTo("InitRefused");
        assertThat(init.message()).contains("spec.resourceToBeInited.vgs[2]: VG pool1 from /dev/sdx is not created: "
                + "device /dev/sdx does not exist on this node");
        assertThat(s.filteredStorageInfo().devices()).isEmpty();
        assertThat(s.filteredStorageInfo().updateStatusInfo().updateStatus()).isEqualTo("failed");

        long passes = agent.passes();
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.passes() >= passes + 3);
        assertThat(memory.lvm.initCalls.get()).isZero();
        assertThat(memory.spdk.initCalls.get()).isZero();
        assertThat(memory.lvm.pools).isEmpty();
        assertThat(events("node-i")).extracting(e -> e.get("reason").getAsString())
                .containsExactlyInAnyOrder("InvalidSpec", "InitRefused");
        assertThat(agent.readinessProblem()).isNull();
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        createNls("node-g", "{\"nodeName\":\"node-g\",\"listConfig\":{\"vgs\":{\"include\":[\".*\"]}}}");
        MemoryNode memory = new MemoryNode();
        memory.lvm.withPool("pool7", 4L << 30, 1L << 30, "/dev/sdb");
        AgentHandle agent = startAgent("node-g", memory, Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> status("node-g") != null);

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + agent.port();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(URI.create(base
                + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/health/live"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("openlocal_agent_passes_total{outcome=\"ok\"}")
                .contains("openlocal_agent_vg_bytes{figure=\"available\",vg=\"pool7\"} 1.073741824E9");
    }

    @Test
    void conflictOnTheStatusWriteIsReadAgainAndRetried() throws Exception {
        createNls("node-h", "{\"nodeName\":\"node-h\"}");
        // Emulator gap: PUT on /status ignores resourceVersion, so the 409 a real API server sends for a stale
        // object is injected by a proxy.
        try (ConflictProxy proxy = new ConflictProxy(api.url(), 2)) {
            ApiClient client = KubeClients.create(Optional.of(proxy.url()), Optional.empty());
            StatusPublisher publisher = new StatusPublisher(client);
            var desired = new NodeLocalStorageStatus(null, null, new NodeLocalStorageStatus.Summary(0, "0", 0));
            assertThat(publisher.publish(read("node-h"), desired)).isEqualTo(StatusPublisher.Outcome.WRITTEN);
            assertThat(proxy.conflictsSent()).isEqualTo(2);
            assertThat(publisher.conflicts()).isEqualTo(2);
            assertThat(status("node-h").summary().free()).isEqualTo("0");
            assertThat(publisher.publish(read("node-h"), desired)).isEqualTo(StatusPublisher.Outcome.UNCHANGED);
        }
        try (ConflictProxy proxy = new ConflictProxy(api.url(), 100)) {
            StatusPublisher publisher = new StatusPublisher(KubeClients.create(Optional.of(proxy.url()),
                    Optional.empty()));
            var other = new NodeLocalStorageStatus(null, null, new NodeLocalStorageStatus.Summary(1, "1Gi", 0));
            assertThatThrownBy(() -> publisher.publish(read("node-h"), other))
                    .isInstanceOf(io.kubernetes.client.openapi.ApiException.class)
                    .satisfies(e -> assertThat(((io.kubernetes.client.openapi.ApiException) e).getCode())
                            .isEqualTo(409));
            assertThat(proxy.conflictsSent()).isEqualTo(StatusPublisher.MAX_ATTEMPTS);
        }
        NodeLocalStorage before = read("node-h");
        assertThat(api.request("DELETE", NLS_PATH + "/node-h", null).statusCode() / 100).isEqualTo(2);
        StatusPublisher direct = new StatusPublisher(KubeClients.create(Optional.of(api.url()), Optional.empty()));
        assertThat(direct.publish(before, new NodeLocalStorageStatus(null, null, null)))
                .isEqualTo(StatusPublisher.Outcome.GONE);
    }
}
