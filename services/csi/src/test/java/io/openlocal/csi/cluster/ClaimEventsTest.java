package io.openlocal.csi.cluster;

import static io.openlocal.testinfra.csi.GrpcCodes.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.config.csi.CsiConfig;
import io.openlocal.csi.Requests;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.nodeapi.TestPki;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.Volume;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warning Events on PersistentVolumeClaims for provisioning failures their owner can fix, end to end: the
 * controller-mode plugin (real client-java against the API-server emulator) asks a node-mode plugin over mutual
 * TLS, and the node works on a real LVM volume group and a real exclusive device on loop devices.
 *
 * <p>Emulator gap: it answers a field selector on Events other than {@code metadata.name} (such as the
 * {@code involvedObject.name} that {@code kubectl describe pvc} uses) with an empty list, so the test lists the
 * namespace's Events and filters them itself.
 */
class ClaimEventsTest {

    private static final String NODE = "node-a";
    private static final String NS = "shop";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final LoopDevices LOOPS = new LoopDevices();

    @RegisterExtension
    static final KubeApiEmulator API = new KubeApiEmulator();

    /** A node plugin with one VG and one hdd device, the controller plugin, and a client to the controller. */
    private static final class Cluster implements AutoCloseable {
        final CommandRunner runner = ProcessCommandRunner.standard();
        final String vg = "olev" + UUID.randomUUID().toString().substring(0, 6);
        final LoopDevice vgLoop;
        final LoopDevice disk;
        final Backend lvm;
        final CsiNodePlugin node;
        final CsiControllerPlugin controller;
        final CsiClient client;

        Cluster() throws Exception {
            Path work = LOOPS.directory("events-");
            Files.createDirectories(work.resolve("kubelet"));
            vgLoop = LOOPS.create(64 * Sizes.MiB, true);
            disk = LOOPS.create(64 * Sizes.MiB, false);
            lvm = BackendRegistry.load().create(PoolType.LVM, new BackendContext(NODE, runner, work.resolve("vg"),
                    Map.of()));
            lvm.initPool(new PoolSpec(vg, PoolType.LVM, List.of(vgLoop.path()), false, Map.of()));
            TestPki pki = new TestPki(work, "events");
            TestPki.Files3 serverTls = pki.issue(CsiConfig.DEFAULT_SERVER_NAME, true);
            TestPki.Files3 clientTls = pki.issue(CsiConfig.DEFAULT_CLIENT_NAME, false);
            node = CsiNodePlugin.start(ClusterConfigs.node(NODE, work, serverTls, vg, disk.name()), runner, "test");
            controller = CsiControllerPlugin.start(ClusterConfigs.controller(work, clientTls, node.nodeApiPort(),
                    API.url()), "test");
            client = CsiClient.connect(controller.socket(), 60);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!controller.synced() || !nodeKnown()) {
                assertThat(System.nanoTime()).as("the controller's Node cache syncs").isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        private boolean nodeKnown() {
            return API.request("GET", "/api/v1/nodes/" + NODE, null).statusCode() == 200;
        }

        /** Free bytes of the VG as lvm2 reports them. */
        long vgFreeBytes() throws Exception {
            String out = runner.run(Command.of("vgs", "--reportformat", "json", "--units", "b", "--nosuffix",
                    "-o", "vg_free", vg)).stdout();
            return Long.parseLong(JSON.readTree(out).path("report").get(0).path("vg").get(0).path("vg_free")
                    .asText());
        }

        @Override
        public void close() {
            client.close();
            controller.close();
            node.close();
            runner.run(Command.of("vgremove", "--force", "--yes", vg));
            runner.run(Command.of("pvremove", "--force", "--yes", vgLoop.path()));
            lvm.close();
        }
    }

    private static void createNode(String name) {
        if (API.request("GET", "/api/v1/nodes/" + name, null).statusCode() == 200) {
            return;
        }
        API.create("/api/v1/nodes", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
                 "status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}]}}""".formatted(name));
    }

    /** Creates a claim and returns its uid. */
    private static String createClaim(String name) throws Exception {
        String body = API.create("/api/v1/namespaces/" + NS + "/persistentvolumeclaims", """
                {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"256Mi"}}}}"""
                .formatted(name, NS));
        return JSON.readTree(body).path("metadata").path("uid").asText();
    }

    private static CreateVolumeRequest request(String claim, String node, long bytes, Map<String, String> parameters) {
        Map<String, String> all = new HashMap<>(parameters);
        if (claim != null) {
            all.put("csi.storage.k8s.io/pvc/name", claim);
            all.put("csi.storage.k8s.io/pvc/namespace", NS);
            all.put("csi.storage.k8s.io/pv/name", "local-" + claim);
        }
        return CreateVolumeRequest.newBuilder().setName("local-" + (claim == null ? UUID.randomUUID() : claim))
                .putAllParameters(all)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
                .addVolumeCapabilities(Requests.MOUNT_EXT4)
                .setAccessibilityRequirements(Requests.onNode(node))
                .build();
    }

    /** The namespace's Events about one claim (filtered here: see the class comment). */
    private static List<JsonNode> eventsAbout(String claim) throws Exception {
        HttpResponse<String> response = API.request("GET", "/api/v1/namespaces/" + NS + "/events", null);
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> about = new ArrayList<>();
        for (JsonNode event : JSON.readTree(response.body()).path("items")) {
            if (event.path("involvedObject").path("name").asText().equals(claim)) {
                about.add(event);
            }
        }
        return about;
    }

    /** Waits until the claim's Events satisfy {@code done}; events are written off the CSI call's thread. */
    private static List<JsonNode> awaitEvents(String claim, Predicate<List<JsonNode>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<JsonNode> events = eventsAbout(claim);
        while (!done.test(events)) {
            assertThat(System.nanoTime()).as("events about %s: %s", claim, events).isLessThan(deadline);
            Thread.sleep(100);
            events = eventsAbout(claim);
        }
        return events;
    }

    @Test
    void noSpaceInTheVgGivesOneWarningOnTheClaimAndARetryRaisesItsCount() throws Exception {
        createNode(NODE);
        String uid = createClaim("data-full");
        try (Cluster cluster = new Cluster()) {
            CreateVolumeRequest tooBig = request("data-full", NODE, 256 * Sizes.MiB,
                    Map.of("volumeType", "LVM", "vgName", cluster.vg));
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> cluster.client.controller().createVolume(tooBig));

            JsonNode event = awaitEvents("data-full", e -> !e.isEmpty()).getFirst();
            assertThat(eventsAbout("data-full")).hasSize(1);
            assertThat(event.path("type").asText()).isEqualTo("Warning");
            assertThat(event.path("reason").asText()).isEqualTo("ProvisioningFailedNoSpace");
            assertThat(event.path("count").asInt()).isEqualTo(1);
            assertThat(event.path("source").path("component").asText()).isEqualTo("open-local-csi-controller");
            JsonNode about = event.path("involvedObject");
            assertThat(about.path("kind").asText()).isEqualTo("PersistentVolumeClaim");
            assertThat(about.path("apiVersion").asText()).isEqualTo("v1");
            assertThat(about.path("namespace").asText()).isEqualTo(NS);
            assertThat(about.path("uid").asText()).isEqualTo(uid);
            Matcher message = Pattern.compile("LVM pool " + cluster.vg + " on node node-a has (\\d+) bytes \\(.+\\)"
                    + " free, the claim requests 268435456 bytes \\(256\\.0 MiB\\)").matcher(event.path("message").asText());
            assertThat(message.matches()).as(event.path("message").asText()).isTrue();
            assertThat(Long.parseLong(message.group(1))).isEqualTo(cluster.vgFreeBytes()).isPositive();

            // external-provisioner retries: the same failure folds into the same event.
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> cluster.client.controller().createVolume(tooBig));
            List<JsonNode> after = awaitEvents("data-full", e -> e.size() == 1 && e.getFirst().path("count").asInt() == 2);
            assertThat(after.getFirst().path("metadata").path("name").asText())
                    .isEqualTo(event.path("metadata").path("name").asText());

            assertThat(get(cluster.controller.httpPort(), "/metrics"))
                    .contains("openlocal_csi_claim_events_total{reason=\"ProvisioningFailedNoSpace\"} 2.0")
                    .contains("openlocal_csi_claim_events_dropped_total 0.0")
                    .contains("openlocal_csi_claim_event_failures_total 0.0");
        }
    }

    @Test
    void aMissingVgNoMatchingDeviceAndABadParameterEachGetTheirReason() throws Exception {
        createNode(NODE);
        createClaim("data-novg");
        createClaim("data-ssd");
        createClaim("data-typo");
        try (Cluster cluster = new Cluster()) {
            assertFailsWith(Status.Code.INVALID_ARGUMENT, () -> cluster.client.controller().createVolume(
                    request("data-novg", NODE, 16 * Sizes.MiB, Map.of("volumeType", "LVM", "vgName", "fast-pool"))));
            // The only device is an hdd.
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> cluster.client.controller().createVolume(
                    request("data-ssd", NODE, 16 * Sizes.MiB, Map.of("volumeType", "Device", "mediaType", "ssd"))));
            assertFailsWith(Status.Code.INVALID_ARGUMENT, () -> cluster.client.controller().createVolume(
                    request("data-typo", NODE, 16 * Sizes.MiB, Map.of("volumeType", "LVM", "vgname", cluster.vg))));

            JsonNode noPool = awaitEvents("data-novg", e -> !e.isEmpty()).getFirst();
            assertThat(noPool.path("reason").asText()).isEqualTo("ProvisioningFailedNoPool");
            assertThat(noPool.path("message").asText()).isEqualTo("LVM pool fast-pool (StorageClass parameter vgName)"
                    + " does not exist on node node-a; LVM pools there: " + cluster.vg);
            JsonNode noDevice = awaitEvents("data-ssd", e -> !e.isEmpty()).getFirst();
            assertThat(noDevice.path("reason").asText()).isEqualTo("ProvisioningFailedNoDevice");
            assertThat(noDevice.path("message").asText()).isEqualTo("no free ssd Device with at least 16777216 bytes"
                    + " (16.0 MiB) on node node-a; no ssd Device there is free (1 in all)");
            JsonNode typo = awaitEvents("data-typo", e -> !e.isEmpty()).getFirst();
            assertThat(typo.path("reason").asText()).isEqualTo("InvalidStorageClassParameter");
            assertThat(typo.path("message").asText()).startsWith("StorageClass parameter 'vgname' is not a known"
                    + " parameter");
        }
    }

    @Test
    void transientFailuresSuccessesAndClaimsThatAreGoneGetNoEvent() throws Exception {
        createNode(NODE);
        // node-b's address is node-a's: its plugin answers as node-a, so the controller refuses it (UNAVAILABLE).
        createNode("node-b");
        for (String claim : List.of("data-unavailable", "data-elsewhere", "data-ok", "data-last")) {
            createClaim(claim);
        }
        try (Cluster cluster = new Cluster()) {
            Map<String, String> device = Map.of("volumeType", "Device");
            assertFailsWith(Status.Code.UNAVAILABLE, () -> cluster.client.controller().createVolume(
                    request("data-unavailable", "node-b", 16 * Sizes.MiB, device)));
            // A node the controller does not know: RESOURCE_EXHAUSTED, but no pool was short of anything.
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> cluster.client.controller().createVolume(
                    request("data-elsewhere", "node-z", 16 * Sizes.MiB, device)));
            Volume made = cluster.client.controller().createVolume(request("data-ok", NODE, 16 * Sizes.MiB, device))
                    .getVolume();
            // A claim deleted while its volume was being made, and a request without the claim's metadata.
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> cluster.client.controller().createVolume(
                    request("data-deleted", NODE, 16 * Sizes.MiB, device)));
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> cluster.client.controller().createVolume(
                    request(null, NODE, 16 * Sizes.MiB, device)));

            // Events are written in order by one worker: once the last one is there, any earlier one would be too.
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> cluster.client.controller().createVolume(
                    request("data-last", NODE, 16 * Sizes.MiB, device)));
            assertThat(awaitEvents("data-last", e -> !e.isEmpty()).getFirst().path("reason").asText())
                    .isEqualTo("ProvisioningFailedNoDevice");
            for (String claim : List.of("data-unavailable", "data-elsewhere", "data-ok", "data-deleted")) {
                assertThat(eventsAbout(claim)).as(claim).isEmpty();
            }

            cluster.client.controller().deleteVolume(DeleteVolumeRequest.newBuilder()
                    .setVolumeId(made.getVolumeId()).build());
        }
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
