package io.openlocal.csi.cluster;

import static io.openlocal.testinfra.csi.GrpcCodes.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.config.csi.CsiConfig;
import io.openlocal.csi.Requests;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.nodeapi.TestPki;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.GetPluginCapabilitiesRequest;
import io.openlocal.csi.v1.NodeGetInfoRequest;
import io.openlocal.csi.v1.PluginCapability;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster mode end to end on one machine: a node-mode plugin and a controller-mode plugin, started from their
 * YAML configurations, talking over the node API with real mutual TLS on loopback (the chart's identities: a
 * shared server name with a PKCS#1 RSA key as Helm writes it, a controller client certificate with a PKCS#8 EC
 * key as cert-manager writes it), the controller finding the node through a Node object in the API emulator.
 */
class ClusterModeTest {

    private static final String NODE = "node-a";

    @RegisterExtension
    static final LoopDevices LOOPS = new LoopDevices();

    @RegisterExtension
    static final KubeApiEmulator API = new KubeApiEmulator();

    private static void createNode(String name, String internalIp) {
        API.create("/api/v1/nodes", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
                 "status":{"addresses":[{"type":"Hostname","address":"%s"},
                                        {"type":"InternalIP","address":"%s"}]}}""".formatted(name, name, internalIp));
    }

    private static CreateVolumeRequest deviceOn(String name, String node) {
        return CreateVolumeRequest.newBuilder().setName(name).putParameters("volumeType", "Device")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32 * Sizes.MiB))
                .addVolumeCapabilities(Requests.MOUNT_EXT4)
                .setAccessibilityRequirements(Requests.onNode(node))
                .build();
    }

    @Test
    void controllerProvisionsADeviceVolumeThroughTheNodePluginOverMutualTls() throws Exception {
        Path work = LOOPS.directory("cluster-");
        Files.createDirectories(work.resolve("kubelet"));
        TestPki pki = new TestPki(work, "cluster");
        TestPki.Files3 serverTls = pki.issue(CsiConfig.DEFAULT_SERVER_NAME, true);
        assertThat(Files.readString(serverTls.key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        TestPki.Files3 clientTls = pki.issue(CsiConfig.DEFAULT_CLIENT_NAME, false);
        LoopDevice disk = LOOPS.create(64 * Sizes.MiB, true);
        createNode(NODE, "127.0.0.1");
        // A Node whose address is node-a's: the plugin answering there is not node-b's.
        createNode("node-b", "127.0.0.1");

        try (CsiNodePlugin node = CsiNodePlugin.start(ClusterConfigs.node(NODE, work, serverTls, "no-such-vg",
                disk.name()), ProcessCommandRunner.standard(), "test");
             CsiControllerPlugin controller = CsiControllerPlugin.start(ClusterConfigs.controller(work, clientTls,
                     node.nodeApiPort(), API.url()), "test");
             CsiClient toController = CsiClient.connect(controller.socket(), 60);
             CsiClient toNode = CsiClient.connect(node.socket(), 60)) {
            awaitSynced(controller);
            assertThat(toNode.node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
                    .isEqualTo(NODE);
            assertThat(toController.identity().getPluginCapabilities(GetPluginCapabilitiesRequest
                    .getDefaultInstance()).getCapabilitiesList()).extracting(c -> c.getService().getType())
                    .contains(PluginCapability.Service.Type.CONTROLLER_SERVICE);
            assertThat(toNode.identity().getPluginCapabilities(GetPluginCapabilitiesRequest
                    .getDefaultInstance()).getCapabilitiesList()).extracting(c -> c.getService().getType())
                    .doesNotContain(PluginCapability.Service.Type.CONTROLLER_SERVICE);

            Volume volume = toController.controller().createVolume(deviceOn("pvc-cluster-1", NODE)).getVolume();
            assertThat(volume.getVolumeId()).startsWith("ol1:vol:Device:node-a:");
            assertThat(volume.getVolumeId()).contains(disk.name());
            assertThat(volume.getAccessibleTopology(0).getSegmentsMap())
                    .containsEntry("kubernetes.io/hostname", NODE);
            // Idempotent by name across the node API.
            assertThat(toController.controller().createVolume(deviceOn("pvc-cluster-1", NODE)).getVolume())
                    .isEqualTo(volume);
            // The only device is taken now.
            assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, () -> toController.controller()
                    .createVolume(deviceOn("pvc-cluster-2", NODE)));

            // Unknown node: the topology cannot be provisioned in, and the message says which node.
            String unknown = assertFailsWith(Status.Code.RESOURCE_EXHAUSTED,
                    () -> toController.controller().createVolume(deviceOn("pvc-cluster-3", "node-z")));
            assertThat(unknown).contains("node-z");
            // A known node whose address answers as another node's plugin: unavailable, not provisioned there.
            String wrong = assertFailsWith(Status.Code.UNAVAILABLE,
                    () -> toController.controller().createVolume(deviceOn("pvc-cluster-4", "node-b")));
            assertThat(wrong).contains("node-b").contains("node-a");

            List<String> progress = new CopyOnWriteArrayList<>();
            Logger progressLog = Logger.getLogger("io.openlocal.csi.progress");
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    progress.add(record.getMessage());
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            progressLog.addHandler(capture);
            try {
                toController.controller().deleteVolume(DeleteVolumeRequest.newBuilder()
                        .setVolumeId(volume.getVolumeId()).build());
            } finally {
                progressLog.removeHandler(capture);
            }
            // The node plugin's Device backend logged the release of the disk as it went (blank: a check only).
            assertThat(progress).singleElement().asString().startsWith("releasing Device volume ")
                    .endsWith(" on " + disk.path() + ": checking " + disk.path());
            // The device is free again.
            Volume again = toController.controller().createVolume(deviceOn("pvc-cluster-5", NODE)).getVolume();
            toController.controller().deleteVolume(DeleteVolumeRequest.newBuilder()
                    .setVolumeId(again.getVolumeId()).build());

            HttpClient http = HttpClient.newHttpClient();
            for (int port : new int[] {node.httpPort(), controller.httpPort()}) {
                assertThat(get(http, port, "/health/live").statusCode()).isEqualTo(200);
                assertThat(get(http, port, "/health/ready").statusCode()).isEqualTo(200);
            }
            assertThat(get(http, controller.httpPort(), "/metrics").body())
                    .contains("openlocal_csi_operations_total{code=\"RESOURCE_EXHAUSTED\",method=\"CreateVolume\"} 2.0")
                    .contains("openlocal_csi_operation_seconds_bucket{method=\"CreateVolume\"");
            // The node plugin's backends found and released the disk with real lsblk runs, timed on its /metrics.
            assertThat(get(http, node.httpPort(), "/metrics").body())
                    .contains("# TYPE openlocal_backend_command_seconds histogram")
                    .containsPattern("openlocal_backend_command_seconds_count\\{outcome=\"ok\",program=\"lsblk\"} "
                            + "[1-9]");
        }
        // Nothing of the plugins is left on the device.
        String signature = ProcessCommandRunner.standard().run(Command.of("lsblk", "--json", "--output", "FSTYPE",
                disk.path())).stdout();
        assertThat(signature).doesNotContain("ext4");
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitSynced(CsiControllerPlugin controller) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!controller.synced()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the controller's Node cache did not sync");
            }
            Thread.sleep(50);
        }
    }
}
