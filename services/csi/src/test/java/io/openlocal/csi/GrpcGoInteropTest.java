package io.openlocal.csi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.PoolChooser;
import io.openlocal.csi.server.CallMetrics;
import io.openlocal.csi.server.CsiServer;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.GetPluginInfoRequest;
import io.openlocal.csi.v1.GetPluginInfoResponse;
import io.openlocal.csi.v1.NodeGetInfoRequest;
import io.openlocal.csi.v1.NodeGetInfoResponse;
import io.openlocal.csi.volume.BackendNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSI socket against Go's gRPC (grpc-go, as in kubelet, the sidecars and csi-sanity): a small Go client
 * ({@code src/test/go/csiraw}) built here from Debian's {@code golang-go} and {@code golang-google-grpc-dev} sends
 * requests this test encodes and prints the answers this test decodes. Skipped, saying why, where Go or grpc-go is
 * not installed; the same calls run over grpc-java in {@link CsiConformanceTest} either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcGoInteropTest {

    private static final Path GOPATH = Path.of("/usr/share/gocode");
    private static final Path SOURCE = Path.of("src/test/go/csiraw/main.go");

    @TempDir
    static Path dir;

    private final CommandRunner runner = ProcessCommandRunner.standard();
    private Path client;
    private CsiServer server;
    private Path socket;

    @BeforeAll
    void buildClientAndStartPlugin() {
        Assumptions.assumeTrue(Files.isDirectory(GOPATH.resolve("src/google.golang.org/grpc")),
                "grpc-go is not installed (apt-get install golang-go golang-google-grpc-dev)");
        client = Path.of("target/csiraw");
        CommandResult built;
        try {
            built = runner.run(new Command(List.of("go", "build", "-o", client.toString(), SOURCE.toString()),
                    Duration.ofMinutes(5), Map.of("GOPATH", GOPATH.toString(), "GO111MODULE", "off",
                    "HOME", System.getProperty("user.home"))));
        } catch (RuntimeException e) {
            Assumptions.abort("the go tool cannot run: " + e.getMessage());
            return;
        }
        assertThat(built.succeeded()).as("go build: %s", built.describe()).isTrue();
        socket = dir.resolve("csi.sock");
        LocalNodeStorage storage = new LocalNodeStorage("go-node", Map.of(), dir.resolve("state"),
                new PoolChooser(PoolChooser.Strategy.BINPACK), Clock.systemUTC(), p -> true, BackendNames.standard());
        CsiSettings settings = new CsiSettings("local.csi.aliyun.com", "interop", "go-node", "kubernetes.io/hostname",
                dir.resolve("kubelet"), 0, 64 * Sizes.MiB);
        server = CsiServer.start(socket, CsiServices.standalone(settings, storage, runner),
                new CallMetrics(new SimpleMeterRegistry()));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String call(String method, MessageLite request, String... options) {
        List<String> argv = new java.util.ArrayList<>(List.of(client.toString()));
        argv.addAll(List.of(options));
        argv.addAll(List.of(socket.toString(), method, HexFormat.of().formatHex(request.toByteArray())));
        CommandResult result = runner.run(Command.of(argv));
        assertThat(result.exitCode()).as("csiraw: %s", result.describe()).isZero();
        return result.stdout().strip();
    }

    private static ByteString okBytes(String answer) {
        assertThat(answer).startsWith("OK ");
        return ByteString.copyFrom(HexFormat.of().parseHex(answer.substring(3)));
    }

    @Test
    void goClientReadsPluginInfo() throws Exception {
        for (String[] options : List.of(new String[0], new String[] {"-authority", "localhost"})) {
            GetPluginInfoResponse info = GetPluginInfoResponse.parseFrom(okBytes(call(
                    "/csi.v1.Identity/GetPluginInfo", GetPluginInfoRequest.getDefaultInstance(), options)));
            assertThat(info.getName()).isEqualTo("local.csi.aliyun.com");
            assertThat(info.getVendorVersion()).isEqualTo("interop");
        }
    }

    @Test
    void goClientReadsNodeInfo() throws Exception {
        NodeGetInfoResponse info = NodeGetInfoResponse.parseFrom(okBytes(call("/csi.v1.Node/NodeGetInfo",
                NodeGetInfoRequest.getDefaultInstance())));
        assertThat(info.getNodeId()).isEqualTo("go-node");
        assertThat(info.getAccessibleTopology().getSegmentsMap()).containsEntry("kubernetes.io/hostname", "go-node");
    }

    @Test
    void goClientSeesTheSpecificationsErrorCodes() {
        // 3 = INVALID_ARGUMENT, with the message naming the field.
        assertThat(call("/csi.v1.Controller/CreateVolume", CreateVolumeRequest.getDefaultInstance()))
                .startsWith("ERR 3 name: is required");
        // Deleting what does not exist succeeds (an empty DeleteVolumeResponse).
        assertThat(call("/csi.v1.Controller/DeleteVolume", DeleteVolumeRequest.newBuilder()
                .setVolumeId("no-such-volume").build())).isEqualTo("OK");
        // 12 = UNIMPLEMENTED for a service this plugin does not serve.
        assertThat(call("/csi.v1.GroupController/GroupControllerGetCapabilities",
                GetPluginInfoRequest.getDefaultInstance())).startsWith("ERR 12");
    }
}
