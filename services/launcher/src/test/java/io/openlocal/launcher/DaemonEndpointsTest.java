package io.openlocal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each daemon subcommand, run as its own {@code java io.openlocal.launcher.OpenLocal COMMAND} process against the
 * API-server emulator, serves {@code /health/live}, {@code /health/ready} and {@code /metrics}. The three start side
 * by side; start-up time is reported by {@code bench/.../DaemonFootprint}, not asserted here.
 */
class DaemonEndpointsTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(25);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void agentControllerAndExtenderServeHealthAndMetrics(@TempDir Path dir) throws Exception {
        // The Node keeps the controller from deleting the agent's NLS as an orphan.
        api.create("/api/v1/nodes", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"}}""");
        api.create("/apis/csi.aliyun.com/v1alpha1/nodelocalstorages", """
                {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage",
                 "metadata":{"name":"node-1"},"spec":{"nodeName":"node-1"}}""");
        int agentPort = freePort();
        int controllerPort = freePort();
        int extenderPort = freePort();
        // Only the Device backend, matching no disk: this checks the daemon's wiring and endpoints (its discovery
        // runs a real lsblk, which /metrics must show); the backends have their own disk tests.
        Path agent = Files.writeString(dir.resolve("agent.yaml"), """
                nodeName: node-1
                stateDir: %s
                kubernetes: {url: "%s"}
                server: {host: 127.0.0.1, port: %d}
                backends:
                  lvm: {enabled: false}
                  device: {enabled: true, settings: {device.include: "^no-such-disk$"}}
                  mountPoint: {enabled: false}
                  spdk: {enabled: false}
                """.formatted(dir.resolve("agent-state"), api.url(), agentPort));
        Path controller = Files.writeString(dir.resolve("controller.yaml"), """
                kubernetes: {url: "%s"}
                leaderElection: {enabled: false}
                server: {host: 127.0.0.1, port: %d}
                """.formatted(api.url(), controllerPort));
        Path agentLog = start(dir, "agent", "agent", "--config", agent.toString());
        // The controller logs as the chart runs it: JSON lines only, its ready line included.
        Path controllerLog = start(dir, "controller", "controller", "--config", controller.toString(),
                "--log-format=json");
        Path extenderLog = start(dir, "extender", "scheduler-extender", "--master", api.url(),
                "--port", Integer.toString(extenderPort));

        assertServes(agentPort, agentLog, "\"UP\"", "openlocal_agent_passes_total");
        assertThat(get("http://127.0.0.1:" + agentPort + "/metrics").body())
                .contains("openlocal_backend_command_seconds_count{outcome=\"ok\",program=\"lsblk\"}");
        assertServes(controllerPort, controllerLog, "\"UP\"", "openlocal_controller_leader");
        assertEveryLineIsAJsonRecord(controllerLog, "open-local controller: following NodeLocalStorageInitConfig");
        // The extender answers liveness as Open-Local's scheduler does: plain "ok".
        assertServes(extenderPort, extenderLog, "ok", "openlocal_extender_");
    }

    private Path start(Path dir, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                OpenLocal.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        return log;
    }

    private void assertServes(int port, Path log, String liveText, String metricsText) throws Exception {
        String base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int ready = -1;
        while (System.nanoTime() < deadline && ready != 200) {
            try {
                ready = get(base + "/health/ready").statusCode();
            } catch (IOException e) {
                // not listening yet
            }
            if (ready != 200) {
                Thread.sleep(50);
            }
        }
        assertThat(ready).as("/health/ready on %d; log:%n%s", port, Files.readString(log)).isEqualTo(200);
        HttpResponse<String> live = get(base + "/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains(liveText);
        HttpResponse<String> metrics = get(base + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains(metricsText);
    }

    private static void assertEveryLineIsAJsonRecord(Path log, String expectedMessage) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Files.readString(log).contains(expectedMessage) && System.nanoTime() < deadline) {
            Thread.sleep(50); // the ready line follows the listener's start by a moment
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("log of a --log-format=json daemon").isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode record;
            try {
                record = json.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError("not a JSON record: '" + line + "' in the log:\n" + String.join("\n", lines));
            }
            assertThat(record.isObject()).as(line).isTrue();
            assertThat(record.fieldNames()).toIterable().as(line).contains("time", "level", "logger", "message",
                    "thread");
        }
        assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).path("message").asText())
                .startsWith(expectedMessage));
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
