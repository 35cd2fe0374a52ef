package io.openlocal.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.testinfra.kube.KubeApiEmulator;
import io.openlocal.testinfra.tls.ThrowAwayPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image recipe without Docker: {@code images/assemble} (the script the Dockerfile runs) lays out the packaged
 * launcher, a jlinked runtime and the daemons' trained class-data-sharing archives, and the daemons (the CSI node
 * plugin too, with its mutual-TLS node API) then start from that layout through the image's own start script,
 * against the API-server emulator. Start-up time and resident memory are printed as a report
 * (target/surefire-reports/*-output.txt), not asserted; DaemonFootprint measures them properly.
 */
class ImageLayoutTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path IMAGE = Path.of("target", "image").toAbsolutePath();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @BeforeAll
    static void assemble() throws Exception {
        Run run = run(List.of(REPO.resolve("images/assemble").toString(), IMAGE.toString(),
                "--jdk", System.getProperty("java.home")), null, Duration.ofMinutes(5));
        assertThat(run.exit()).as("images/assemble:%n%s", run.output()).isZero();
        // The Node keeps the controller from deleting the agent's NLS as an orphan.
        api.create("/api/v1/nodes", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"image-node"}}""");
        api.create("/apis/csi.aliyun.com/v1alpha1/nodelocalstorages", """
                {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage",
                 "metadata":{"name":"image-node"},"spec":{"nodeName":"image-node"}}""");
    }

    @Test
    void theLayoutHoldsTheRuntimeTheJarsTheArchivesAndTheStartScript() throws Exception {
        assertThat(IMAGE.resolve("open-local.jar")).isRegularFile();
        assertThat(Files.isExecutable(IMAGE.resolve("bin/open-local"))).isTrue();
        assertThat(Files.isExecutable(IMAGE.resolve("runtime/bin/java"))).isTrue();
        for (String daemon : List.of("agent", "controller", "scheduler-extender", "csi")) {
            assertThat(IMAGE.resolve("cds/" + daemon + ".jsa")).isNotEmptyFile();
        }
        // Exactly the jars the launcher's manifest names (target/lib may also hold those of earlier builds).
        Set<String> named = new TreeSet<>();
        try (JarFile jar = new JarFile(IMAGE.resolve("open-local.jar").toFile())) {
            for (String entry : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")) {
                named.add(entry);
            }
        }
        Set<String> present = new TreeSet<>();
        try (var jars = Files.list(IMAGE.resolve("lib"))) {
            jars.forEach(p -> present.add("lib/" + p.getFileName()));
        }
        assertThat(present).contains("lib/client-java-24.0.0.jar").isEqualTo(named);
        Run version = run(List.of(IMAGE.resolve("bin/open-local").toString(), "version"), null,
                Duration.ofSeconds(60));
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("open-local ").contains("local.csi.aliyun.com");
    }

    /** assemble replaces its destination, so it refuses one it did not make, and deletes nothing there. */
    @Test
    void assembleRefusesADestinationItDidNotMakeAndLeavesItAlone(@TempDir Path dir) throws Exception {
        Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Path kept = Files.writeString(occupied.resolve("keep.txt"), "data");
        Path file = Files.writeString(dir.resolve("a-file"), "data");
        Path link = Files.createSymbolicLink(dir.resolve("a-link"), occupied);
        for (Path dest : List.of(occupied, file, link)) {
            for (String given : List.of(dest.toString(), dest + "/")) {
                Run run = run(List.of(REPO.resolve("images/assemble").toString(), given,
                        "--jdk", System.getProperty("java.home")), null, Duration.ofSeconds(60));
                assertThat(run.exit()).as("%s: %s", given, run.output()).isEqualTo(2);
                assertThat(run.output()).contains("not replacing it");
            }
        }
        assertThat(Files.readString(kept)).isEqualTo("data");
        assertThat(Files.readString(file)).isEqualTo("data");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(dir.resolve("occupied.partial")).doesNotExist();
    }

    /**
     * A provider that java.security names but the runtime lacks makes the JDK search the class path for it, which
     * loads and verifies Bouncy Castle's signed jar in every daemon (about 25 MiB of heap).
     */
    @Test
    void theRuntimeHasEverySecurityProviderItsConfigurationNames() throws Exception {
        Set<String> configured = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^security\\.provider\\.\\d+=\\s*(\\S+)")
                .matcher(Files.readString(IMAGE.resolve("runtime/conf/security/java.security")));
        while (m.find()) {
            configured.add(m.group(1));
        }
        assertThat(configured).contains("SUN", "SunJSSE");
        Run shown = run(List.of(IMAGE.resolve("runtime/bin/java").toString(), "-XshowSettings:security:providers",
                "-version"), null, Duration.ofSeconds(60));
        Set<String> loaded = new TreeSet<>();
        Matcher p = Pattern.compile("(?m)^\\s*Provider name: (\\S+)").matcher(shown.output());
        while (p.find()) {
            loaded.add(p.group(1));
        }
        assertThat(loaded).as(shown.output()).isEqualTo(configured);
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent", "controller", "scheduler-extender", "csi"})
    void eachDaemonStartsFromItsTrainedArchiveAndServes(String daemon, @TempDir Path dir) throws Exception {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of(IMAGE.resolve("bin/open-local").toString(), daemon));
        switch (daemon) {
            case "agent" -> args.addAll(List.of("--config", Files.writeString(dir.resolve("agent.yaml"), """
                    nodeName: image-node
                    stateDir: %s
                    kubernetes: {url: "%s"}
                    server: {host: 127.0.0.1, port: %d}
                    backends: {lvm: {enabled: false}, device: {enabled: false}, mountPoint: {enabled: false},
                               spdk: {enabled: false}}
                    """.formatted(dir.resolve("state"), api.url(), port)).toString()));
            case "controller" -> args.addAll(List.of("--config", Files.writeString(dir.resolve("c.yaml"), """
                    kubernetes: {url: "%s"}
                    leaderElection: {enabled: false}
                    server: {host: 127.0.0.1, port: %d}
                    """.formatted(api.url(), port)).toString()));
            // The CSI node plugin: its socket and its mutual-TLS node API (gRPC on Netty, the runtime's EC keys).
            case "csi" -> args.addAll(List.of("--config", Files.writeString(dir.resolve("csi.yaml"), """
                    nodeName: image-node
                    server: {host: 127.0.0.1, port: %d}
                    csi:
                      mode: node
                      endpoint: "unix://%s"
                      kubeletDir: %s
                      stateDir: %s
                      vgInclude: ["^open-local-image-test-none$"]
                      deviceRegexp: "^no-such-disk$"
                    nodeApi:
                      host: 127.0.0.1
                      port: %d
                      tls: {certFile: %s, keyFile: %s, caFile: %s}
                    """.formatted(port, dir.resolve("csi.sock"), dir.resolve("kubelet"), dir.resolve("csi-state"),
                    freePort(), pki(dir).resolve("tls.crt"), pki(dir).resolve("tls.key"),
                    pki(dir).resolve("ca.crt"))).toString()));
            default -> args.addAll(List.of("--master", api.url(), "--port", Integer.toString(port)));
        }
        Path classes = dir.resolve("classes.txt");
        Path log = dir.resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
        // -Xshare:on: the JVM refuses to start unless it maps the archives, so a stale or broken one fails here.
        pb.environment().put("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + classes);
        long t0 = System.nanoTime();
        Process process = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            int ready = -1;
            long deadline = t0 + READY_TIMEOUT.toNanos();
            while (ready != 200 && System.nanoTime() < deadline && process.isAlive()) {
                try {
                    ready = get(base + "/health/ready").statusCode();
                } catch (IOException e) {
                    Thread.sleep(25); // not listening yet
                }
            }
            double readySeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(ready).as("%s /health/ready; log:%n%s", daemon, Files.readString(log)).isEqualTo(200);
            assertThat(get(base + "/metrics").statusCode()).isEqualTo(200);
            Thread.sleep(5_000);
            String rss = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
            // 5 s is before the daemons settle (the extender gives back about 6 MiB between 5 and 10 s after ready);
            // DaemonFootprint measures the idle figures, at 10 s and later.
            System.out.printf("image layout, %s: ready in %.2f s, %s after 5 s idle%n", daemon, readySeconds, rss);

            String loaded = Files.readString(classes, StandardCharsets.UTF_8);
            // The daemon's own classes come from its archive (the "top" layer over the runtime's), not from jars.
            assertThat(loaded).containsPattern("io\\.openlocal\\.\\S+ source: shared objects file \\(top\\)");
            assertThat(loaded).doesNotContain("org.bouncycastle.jce.provider.BouncyCastleProvider");
        } finally {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private record Run(int exit, String output) {
    }

    private static Path pki(Path dir) throws Exception {
        return ThrowAwayPki.in(dir.resolve("pki"), "open-local-node-api");
    }

    private static Run run(List<String> cmd, Path workingDir, Duration timeout) throws Exception {
        Path out = Files.createTempFile("image-layout-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            if (workingDir != null) {
                pb.directory(workingDir.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Run(-1, Files.readString(out) + "\n(timed out after " + timeout + ")");
            }
            return new Run(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
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
