package io.openlocal.testinfra.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the Kubernetes API-server emulator ({@code ../shared/apiemu}: fabric8's CRUD engine behind an HTTP
 * front end with chunked watch streams, typed lists and discovery) as a child process on a free loopback port,
 * for one test class. Tests talk to {@link #url()} with the real client-java.
 *
 * <p>What the emulator does not do, so tests must not rely on it: admission and defaulting, schema validation
 * of custom resources, resourceVersion-gated watches (every new watch first replays ADDED for all objects),
 * bookmarks, and most field selectors. See the emulator's README.
 *
 * <p>The jar is built by {@code bin/build-apiemu}; when it is missing this extension runs that script once.
 */
public final class KubeApiEmulator implements BeforeAllCallback, AfterAllCallback {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Path log;
    private String url;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The emulator's base URL, for example {@code http://127.0.0.1:34567}. */
    public String url() {
        if (url == null) {
            throw new IllegalStateException("emulator not started");
        }
        return url;
    }

    /** Starts the emulator (also usable outside JUnit). */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null) {
            return;
        }
        Path home = emulatorHome();
        log = Files.createTempFile("apiemu-", ".log");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-cp", home.resolve("target/apiemu-0.1.0.jar") + ":" + home.resolve("target/lib") + "/*",
                    "apiemu.ApiEmu", "serve", "--host", "127.0.0.1", "--port", Integer.toString(port)));
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            url = "http://127.0.0.1:" + port;
            if (awaitReady()) {
                return;
            }
            stop();
            last = new IOException("API emulator did not become ready; log " + log + ":\n" + Files.readString(log));
        }
        throw last;
    }

    /** Stops the emulator; its whole store is lost, as after an API server wipe. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        url = null;
    }

    /** Sends a request with a JSON body (or none) and returns the response, whatever its status. */
    public HttpResponse<String> request(String method, String path, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10));
        if (jsonBody == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String contentType = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
            builder.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates an object by POST to its collection path; fails the test on a non-2xx answer. */
    public String create(String collectionPath, String json) {
        HttpResponse<String> response = request("POST", collectionPath, json);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + collectionPath + " -> " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static Path emulatorHome() throws IOException, InterruptedException {
        Path repo = repoRoot();
        Path home = repo.resolve("test-infra/target/apiemu");
        if (!Files.exists(home.resolve("target/apiemu-0.1.0.jar"))) {
            Process build = new ProcessBuilder(repo.resolve("bin/build-apiemu").toString()).inheritIO().start();
            if (build.waitFor() != 0) {
                throw new IOException("bin/build-apiemu failed; the API emulator is needed for this test");
            }
        }
        return home;
    }

    /** The repository root: the nearest parent holding bin/build-apiemu. */
    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/build-apiemu"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (bin/build-apiemu) above " + dir);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
