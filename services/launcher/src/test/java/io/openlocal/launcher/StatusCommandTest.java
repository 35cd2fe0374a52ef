package io.openlocal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code open-local status} against the API-server emulator holding NodeLocalStorage objects as agents write them. */
class StatusCommandTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final String NLS = "/apis/csi.aliyun.com/v1alpha1/nodelocalstorages";

    /** node-a: a VG in use, a free and a used device, a mount point, an SPDK lvstore; only some allowed. */
    private static final String NODE_A = """
            {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage","metadata":{"name":"node-a"},
             "spec":{"nodeName":"node-a"},
             "status":{"filteredStorageInfo":{"volumeGroups":["open-local-pool-0"],"mountPoints":["/mnt/open-local/disk-1"],
                                              "devices":["/dev/vdd"],"spdkStores":["lvs0"]},
                       "nodeStorageInfo":{
                         "deviceInfo":[{"condition":"DiskReady","mediaType":"hdd","name":"/dev/vdd","readOnly":false,"total":21474836480},
                                       {"condition":"DiskFull","mediaType":"ssd","name":"/dev/vde","readOnly":false,"total":107374182400}],
                         "volumeGroups":[{"allocatable":21470642176,"available":10733223936,"condition":"DiskReady",
                                          "name":"open-local-pool-0","physicalVolumes":["/dev/vdb"],"total":21470642176},
                                         {"allocatable":1073741824,"available":1073741824,"condition":"DiskReady",
                                          "name":"other-vg","physicalVolumes":["/dev/vdf","/dev/vdg"],"total":1073741824}],
                         "mountPoints":[{"name":"/mnt/open-local/disk-1","total":52710469632,"available":52710469632,
                                         "fsType":"ext4","condition":"DiskReady","device":"/dev/vdc"}],
                         "spdkStores":[{"name":"lvs0","uuid":"u-1","baseBdev":"nvme0n1","total":4294967296,
                                        "available":2147483648,"clusterSize":4194304,"condition":"DiskReady"}],
                         "phase":"Running",
                         "state":{"lastHeartbeatTime":"2026-11-25T01:00:00Z","status":"True","type":"DiskReady"}},
                       "conditions":[{"type":"SpecValid","status":"True","reason":"Valid","message":"the spec is valid"},
                                     {"type":"ResourcesInitialized","status":"Unknown","reason":"Initializing",
                                      "message":"initialising VG pool-1: vgcreate pool-1 (2/2)"}]}}
            """;

    /** node-b: created by the controller, no agent report yet. */
    private static final String NODE_B = """
            {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage","metadata":{"name":"node-b"},
             "spec":{"nodeName":"node-b"}}
            """;


    @BeforeAll
    static void objects() {
        api.create(NLS, NODE_A);
        api.create(NLS, NODE_B);
    }

    static LauncherRun run(String... args) {
        return LauncherRun.of(args);
    }

    private static List<String> cells(String table, String name) {
        return table.lines().map(l -> Arrays.asList(l.trim().split("\\s+"))).filter(c -> c.size() > 2
                && c.get(2).equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not in\n" + table));
    }

    @Test
    void tableShowsEveryPoolOfEveryNodeInBinaryUnits() {
        LauncherRun run = run("status", "--master", api.url());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("NODE").contains("KIND", "TOTAL",
                "AVAILABLE", "ALLOCATABLE", "USE", "ALLOWED");
        assertThat(cells(run.out(), "open-local-pool-0"))
                .containsExactly("node-a", "VG", "open-local-pool-0", "20.0GiB", "10.0GiB", "20.0GiB", "-",
                        "/dev/vdb", "yes", "DiskReady");
        assertThat(cells(run.out(), "other-vg"))
                .containsExactly("node-a", "VG", "other-vg", "1GiB", "1GiB", "1GiB", "-", "/dev/vdf,/dev/vdg", "no",
                        "DiskReady");
        assertThat(cells(run.out(), "/dev/vdd"))
                .containsExactly("node-a", "Device", "/dev/vdd", "20GiB", "20GiB", "-", "free", "hdd", "yes",
                        "DiskReady");
        assertThat(cells(run.out(), "/dev/vde"))
                .containsExactly("node-a", "Device", "/dev/vde", "100GiB", "0B", "-", "used", "ssd", "no",
                        "DiskFull");
        assertThat(cells(run.out(), "/mnt/open-local/disk-1"))
                .containsExactly("node-a", "MountPoint", "/mnt/open-local/disk-1", "49.1GiB", "49.1GiB", "-", "free",
                        "ext4", "yes", "DiskReady");
        assertThat(cells(run.out(), "lvs0"))
                .containsExactly("node-a", "SPDK", "lvs0", "4GiB", "2GiB", "-", "-", "nvme0n1", "yes", "DiskReady");
        assertThat(run.out()).contains("node node-b: NodeLocalStorage has no status yet")
                .contains("node node-a: in progress: initialising VG pool-1: vgcreate pool-1 (2/2)")
                .doesNotContain("node node-b: in progress");
    }

    @Test
    void jsonGivesExactBytesPerNodeAndPool() throws Exception {
        LauncherRun run = run("status", "--master", api.url(), "-o", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(run.out());
        JsonNode nodes = root.get("nodes");
        assertThat(nodes).hasSize(2);
        JsonNode a = nodes.get(0);
        assertThat(a.get("node").asText()).isEqualTo("node-a");
        assertThat(a.get("reported").asBoolean()).isTrue();
        assertThat(a.get("state").asText()).isEqualTo("True");
        assertThat(a.get("pools")).hasSize(6);
        JsonNode vg = a.get("pools").get(0);
        assertThat(vg.get("kind").asText()).isEqualTo("VG");
        assertThat(vg.get("name").asText()).isEqualTo("open-local-pool-0");
        assertThat(vg.get("total").asLong()).isEqualTo(21470642176L);
        assertThat(vg.get("available").asLong()).isEqualTo(10733223936L);
        assertThat(vg.get("allocatable").asLong()).isEqualTo(21470642176L);
        assertThat(vg.get("allowed").asBoolean()).isTrue();
        JsonNode used = a.get("pools").get(3);
        assertThat(used.get("name").asText()).isEqualTo("/dev/vde");
        assertThat(used.get("use").asText()).isEqualTo("used");
        assertThat(used.get("available").asLong()).isZero();
        assertThat(used.get("allocatable").isNull()).isTrue();
        JsonNode b = nodes.get(1);
        assertThat(b.get("node").asText()).isEqualTo("node-b");
        assertThat(b.get("reported").asBoolean()).isFalse();
        assertThat(b.get("pools")).isEmpty();
        assertThat(a.get("initializing").asText()).isEqualTo("initialising VG pool-1: vgcreate pool-1 (2/2)");
        assertThat(b.get("initializing").isNull()).isTrue();
    }

    @Test
    void unreachableServerIsOneLineAndExitCodeOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LauncherRun run = run("status", "--master", "http://127.0.0.1:" + port);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("open-local status: cannot reach the API server "
                + "at http://127.0.0.1:" + port);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badFlagsAreOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
        LauncherRun format = run("status", "--master", api.url(), "-o", "yaml");
        assertThat(format.exit()).isEqualTo(1);
        assertThat(format.err().strip()).isEqualTo("open-local status: -o yaml: expected table or json");

        LauncherRun url = run("status", "--master", "127.0.0.1:6443");
        assertThat(url.exit()).isEqualTo(1);
        assertThat(url.err().strip()).doesNotContain("\n").contains("--master 127.0.0.1:6443");

        LauncherRun both = run("status", "--master", api.url(), "--kubeconfig", "/etc/kubeconfig");
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.err()).contains("exclude each other");

        LauncherRun missing = run("status", "--kubeconfig", "/nonexistent/kubeconfig");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("open-local status: --kubeconfig /nonexistent/kubeconfig: "
                + "no such file");

        LauncherRun noValue = run("status", "--master");
        assertThat(noValue.exit()).isEqualTo(1);
        assertThat(noValue.err().strip()).isEqualTo("open-local status: --master needs a value: URL");

        Path notYamlMap = Files.writeString(dir.resolve("kubeconfig"), "just a line\n");
        LauncherRun notKubeconfig = run("status", "--kubeconfig", notYamlMap.toString());
        assertThat(notKubeconfig.exit()).isEqualTo(1);
        assertThat(notKubeconfig.err().strip()).doesNotContain("\n")
                .startsWith("open-local status: --kubeconfig " + notYamlMap + ": not a usable kubeconfig");

        LauncherRun unknown = run("status", "--watch");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown argument --watch");
    }
}
