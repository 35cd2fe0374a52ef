package io.openlocal.bench.launcher;

import io.openlocal.testinfra.kube.KubeApiEmulator;
import io.openlocal.testinfra.tls.ThrowAwayPki;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start-up and idle memory of the Open-Local daemons (issue 7 item 5), each started from the launcher jar as its own
 * process: time from process start to {@code /health/ready} answering 200, and resident memory (VmRSS) after
 * {@code --idle} seconds without traffic. Every daemon runs under each JVM flag set ("variant"), next to a baseline
 * measured in the same run with the same flags: {@code java -version} and a minimal JDK HTTP server answering
 * {@code /health/ready} ({@code DaemonFootprint serve PORT}), so the ratios say what Open-Local itself costs.
 *
 * <p>Agent and controller run against the API-server emulator (agent with every backend disabled: the idle JVM is
 * measured, not lvm2; controller without leader election); the extender with {@code --master}; the CSI node plugin
 * ({@code csi-node}) with its CSI socket and its node API (mutual TLS, certificates made with the openssl command)
 * in a scratch directory, with pool and disk patterns that match nothing on the host (it still runs lvm2's and
 * lsblk's discovery).
 *
 * <p>Variants whose flags name {@code @ARCHIVE@} (a dynamic class-data-sharing archive, with
 * {@code -XX:+AutoCreateSharedArchive}) or {@code @AOT@} (JDK 25's AOT cache) get one unmeasured training run first
 * that writes the archive, as a deployment's first start (or an image build) would.
 *
 * <p>Usage, from the repository root after {@code mvn -pl services/launcher package} and {@code mvn -pl bench package}:
 * <pre>
 * java -cp bench/target/benchmarks.jar io.openlocal.bench.launcher.DaemonFootprint \
 *     [--jar services/launcher/target/open-local.jar] [--java JAVA] [--idle 10] [--variant NAME='FLAGS' ...]
 * </pre>
 * To measure the image's layout (its jlinked runtime with the runtime's CDS archive), lay it out with
 * {@code images/assemble target/image} and pass {@code --java target/image/runtime/bin/java --jar
 * target/image/open-local.jar}; the baseline keeps running on the JDK that runs this class. {@code @PROCESS@} in the
 * flags stands for the daemon's subcommand, e.g. {@code -XX:SharedArchiveFile=target/image/cds/@PROCESS@.jsa} for the
 * archives of the image's training starts.
 */
public final class DaemonFootprint {

    private static final String ARCHIVE = "@ARCHIVE@";
    /** JDK 25's AOT cache (JEP 483/514): the training run writes it, measured runs read it. */
    private static final String AOT = "@AOT@";
    /**
     * Stands for {@code -XX:CompileThresholdScaling=20} for every daemon but the extender, which gets 5 (its hot path
     * must compile early), as bin/open-local and the image's start script give them.
     */
    private static final String COLD = "@COLD@";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** The flag sets compared when none are given: each one adds to the previous. */
    static final Map<String, String> DEFAULT_VARIANTS = defaultVariants();

    private static Map<String, String> defaultVariants() {
        String small = "-XX:+UseSerialGC -Xss512k -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 "
                + "-XX:MaxRAMPercentage=70";
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("jvm-defaults", "");
        // The chart's JAVA_OPTS before tuning.
        variants.put("chart-0", "-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC");
        variants.put("small-heap", small);
        variants.put("small+c1", small + " -XX:TieredStopAtLevel=1");
        variants.put("small+c1+cds", small + " -XX:TieredStopAtLevel=1 -XX:+AutoCreateSharedArchive "
                + "-XX:SharedArchiveFile=" + ARCHIVE);
        variants.put("small+c1+trim+cds", small + " -XX:TieredStopAtLevel=1 -XX:TrimNativeHeapInterval=2000 "
                + "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=" + ARCHIVE);
        // What images/open-local starts with (plus the chart's JAVA_OPTS), and bin/open-local (plus the archive).
        String tuned = small + " -XX:NewRatio=9 -XX:TieredStopAtLevel=1 -XX:TrimNativeHeapInterval=2000";
        variants.put("tuned", tuned + " " + COLD);
        variants.put("tuned+cds", tuned + " " + COLD + " -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="
                + ARCHIVE);
        // A proposal for the image build (a training run in the Dockerfile).
        variants.put("small+c1+aot", small + " -XX:TieredStopAtLevel=1 " + AOT);
        return variants;
    }

    private DaemonFootprint() {
    }

    /** One measured start. */
    record Sample(String variant, String process, double readySeconds, double rssMiB) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
            return;
        }
        Path jar = Path.of("services/launcher/target/open-local.jar");
        String daemonJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int idle = 10;
        Map<String, String> variants = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--java" -> daemonJava = args[++i];
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--variant" -> {
                    String spec = args[++i];
                    int eq = spec.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--variant " + spec + ": expected NAME=FLAGS");
                    }
                    variants.put(spec.substring(0, eq), spec.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--jar FILE, --java FILE, --idle SECONDS, --variant NAME=FLAGS)");
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + ": no launcher jar (mvn -pl services/launcher package)");
        }
        if (variants.isEmpty()) {
            variants.putAll(DEFAULT_VARIANTS);
        }
        new Run(jar.toAbsolutePath(), daemonJava, Duration.ofSeconds(idle), variants).measure(System.out);
    }

    /** The baseline server: the JDK's own HTTP server answering 200 on /health/ready, nothing else. */
    private static void serve(int port) throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/health/ready", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static final class Run {
        private final Path jar;
        private final Duration idle;
        private final Map<String, String> variants;
        private final Path work;
        /** Runs the baseline; the daemons run on {@code daemonJava} (the image's jlinked runtime, with --java). */
        private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        private final String daemonJava;
        private final String benchClassPath = System.getProperty("java.class.path");
        private final List<Sample> samples = new ArrayList<>();
        private final Map<String, Double> javaVersion = new LinkedHashMap<>();
        private String master;

        Run(Path jar, String daemonJava, Duration idle, Map<String, String> variants) throws IOException {
            this.jar = jar;
            this.daemonJava = daemonJava;
            this.idle = idle;
            this.variants = variants;
            this.work = Files.createTempDirectory("daemon-footprint-");
        }

        void measure(PrintStream out) throws Exception {
            KubeApiEmulator api = new KubeApiEmulator();
            api.start();
            try {
                master = api.url();
                // The Node keeps the controller from deleting the agent's NLS as an orphan.
                api.create("/api/v1/nodes", """
                        {"apiVersion":"v1","kind":"Node","metadata":{"name":"footprint-node"}}""");
                api.create("/apis/csi.aliyun.com/v1alpha1/nodelocalstorages", """
                        {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage",
                         "metadata":{"name":"footprint-node"},"spec":{"nodeName":"footprint-node"}}""");
                for (var variant : variants.entrySet()) {
                    out.printf("variant %s: %s%n", variant.getKey(), variant.getValue().isBlank() ? "(no flags)"
                            : variant.getValue());
                    String plain = variant.getValue().replace(COLD, "");
                    javaVersion.put(variant.getKey(), javaVersionSeconds(flags(plain, "version", false)));
                    for (String process : List.of("baseline-http", "agent", "controller", "scheduler-extender",
                            "csi-node")) {
                        samples.add(sample(variant.getKey(), variant.getValue(), process, out));
                    }
                }
            } finally {
                api.stop();
                deleteTree(work);
            }
            report(out);
        }

        private Sample sample(String variant, String flagText, String process, PrintStream out) throws Exception {
            String cold = switch (process) {
                case "scheduler-extender" -> "-XX:CompileThresholdScaling=5";
                case "baseline-http" -> "";
                default -> "-XX:CompileThresholdScaling=20";
            };
            flagText = flagText.replace("@PROCESS@", process.equals("csi-node") ? "csi" : process).replace(COLD, cold);
            List<String> flags = flags(flagText, variant + "-" + process, false);
            if (flagText.contains(ARCHIVE) || flagText.contains(AOT)) {
                // Training start: writes the archive at exit, as a deployment's first start would.
                Started training = start(process, flags(flagText, variant + "-" + process, true));
                Thread.sleep(2000);
                training.stop();
            }
            Started started = start(process, flags);
            try {
                Thread.sleep(idle.toMillis());
                double rss = rssMiB(started.process.pid());
                Sample sample = new Sample(variant, process, started.readySeconds, rss);
                out.printf(Locale.ROOT, "  %-20s ready %.2f s, RSS after %d s idle %.1f MiB%n", process,
                        sample.readySeconds(), idle.toSeconds(), rss);
                return sample;
            } finally {
                started.stop();
            }
        }

        private List<String> flags(String flagText, String archiveName, boolean training) {
            List<String> flags = new ArrayList<>();
            for (String flag : flagText.trim().split("\\s+")) {
                if (flag.equals(AOT)) {
                    flags.add((training ? "-XX:AOTCacheOutput=" : "-XX:AOTCache=")
                            + work.resolve(archiveName + ".aot"));
                } else if (!flag.isEmpty()) {
                    flags.add(flag.replace(ARCHIVE, work.resolve(archiveName + ".jsa").toString()));
                }
            }
            return flags;
        }

        private double javaVersionSeconds(List<String> flags) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(flags.stream().filter(f -> !f.contains("SharedArchive") && !f.startsWith("-XX:AOT")).toList());
            cmd.add("-version");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("java -version failed with flags " + flags);
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        private Started start(String process, List<String> flags) throws Exception {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(process.equals("baseline-http") ? java : daemonJava));
            cmd.addAll(flags);
            switch (process) {
                case "baseline-http" -> cmd.addAll(List.of("-cp", benchClassPath, DaemonFootprint.class.getName(),
                        "serve", Integer.toString(port)));
                case "agent" -> cmd.addAll(List.of("-jar", jar.toString(), "agent", "--config",
                        config("agent.yaml", """
                                nodeName: footprint-node
                                stateDir: %s
                                kubernetes: {url: "%s"}
                                server: {host: 127.0.0.1, port: %d}
                                backends:
                                  lvm: {enabled: false}
                                  device: {enabled: false}
                                  mountPoint: {enabled: false}
                                  spdk: {enabled: false}
                                """.formatted(work.resolve("agent-state"), master, port))));
                case "controller" -> cmd.addAll(List.of("-jar", jar.toString(), "controller", "--config",
                        config("controller.yaml", """
                                kubernetes: {url: "%s"}
                                leaderElection: {enabled: false}
                                server: {host: 127.0.0.1, port: %d}
                                """.formatted(master, port))));
                case "scheduler-extender" -> cmd.addAll(List.of("-jar", jar.toString(), "scheduler-extender",
                        "--master", master, "--port", Integer.toString(port)));
                case "csi-node" -> cmd.addAll(List.of("-jar", jar.toString(), "csi", "--config",
                        config("csi-node.yaml", """
                                nodeName: footprint-node
                                server: {host: 127.0.0.1, port: %d}
                                csi:
                                  mode: node
                                  endpoint: "unix://%s"
                                  kubeletDir: %s
                                  stateDir: %s
                                  vgInclude: ["^open-local-footprint-none$"]
                                  deviceRegexp: "^no-such-disk$"
                                nodeApi:
                                  host: 127.0.0.1
                                  port: %d
                                  tls: {certFile: %s, keyFile: %s, caFile: %s}
                                """.formatted(port, work.resolve("csi.sock"), work.resolve("kubelet"),
                                work.resolve("csi-state"), freePort(), pki().resolve("tls.crt"),
                                pki().resolve("tls.key"), pki().resolve("ca.crt")))));
                default -> throw new IllegalArgumentException(process);
            }
            Path log = work.resolve(process + ".log");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
            long deadline = t0 + READY_TIMEOUT.toNanos();
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException(process + " exited with " + p.exitValue() + "; log:\n" + Files.readString(log));
                }
                try {
                    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(ready)
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    last = answer.statusCode() + " " + answer.body();
                    if (answer.statusCode() == 200) {
                        return new Started(p, (System.nanoTime() - t0) / 1e9);
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            new Started(p, 0).stop();
            throw new IOException(process + " not ready within " + READY_TIMEOUT + " (last answer: " + last
                    + "); log:\n" + Files.readString(log));
        }

        /** A throw-away CA and node certificate for the CSI node plugin's node API. */
        private Path pki() throws IOException, InterruptedException {
            return ThrowAwayPki.in(work.resolve("pki"), "open-local-node-api");
        }

        private String config(String name, String yaml) throws IOException {
            return Files.writeString(work.resolve(name), yaml).toString();
        }

        private void report(PrintStream out) {
            out.println();
            out.printf("%-16s %-20s %9s %9s %8s %8s%n", "VARIANT", "PROCESS", "READY s", "RSS MiB", "READYx", "RSSx");
            for (Sample s : samples) {
                Sample base = samples.stream().filter(b -> b.variant().equals(s.variant())
                        && b.process().equals("baseline-http")).findFirst().orElseThrow();
                out.printf(Locale.ROOT, "%-16s %-20s %9.2f %9.1f %8.1f %8.1f%n", s.variant(), s.process(),
                        s.readySeconds(), s.rssMiB(), s.readySeconds() / base.readySeconds(),
                        s.rssMiB() / base.rssMiB());
            }
            out.println();
            for (var v : javaVersion.entrySet()) {
                out.printf(Locale.ROOT, "java -version with %s flags: %.2f s%n", v.getKey(), v.getValue());
            }
            out.println("READYx / RSSx: ratio to baseline-http (JDK HttpServer answering /health/ready) with the same "
                    + "flags. Targets (issue 7): ready <= 1.5 s, RSS <= 100 MiB.");
        }
    }

    private record Started(Process process, double readySeconds) {
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Resident memory of {@code pid} in MiB, from the kernel's own accounting. */
    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("/proc/" + pid + "/status has no VmRSS line");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
