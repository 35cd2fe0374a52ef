package io.openlocal.extender;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.openlocal.backend.error.StorageException;
import io.openlocal.extender.config.ExtenderConfig;
import io.openlocal.extender.config.ExtenderOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code open-local scheduler-extender [flags]}: reads flags, wires the service, runs until stopped. */
public final class ExtenderMain {

    private ExtenderMain() {
    }

    /** JUL's default format spends two lines on a record; one request, one line. */
    private static final String ONE_LINE_FORMAT = "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
                && System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", ONE_LINE_FORMAT);
        }
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.print(ExtenderOptions.USAGE);
            return;
        }
        ExtenderConfig config;
        try {
            config = ExtenderOptions.parse(args);
        } catch (StorageException.InvalidArgument e) {
            System.err.println(e.getMessage());
            System.err.print(ExtenderOptions.USAGE);
            System.exit(2);
            return;
        }
        run(config);
    }

    /** Runs the extender with {@code config} until the JVM is asked to stop (for the launcher too). */
    public static void run(ExtenderConfig config) throws IOException, InterruptedException {
        ApiClient client = apiClient(config);
        ExtenderService service = new ExtenderService(config, new Readiness());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "open-local-extender-shutdown"));
        service.start();
        if (!service.connect(client, Duration.ofMinutes(5))) {
            System.getLogger(ExtenderMain.class.getName()).log(System.Logger.Level.WARNING,
                    "cluster state not loaded after 5 minutes; still trying, answering 503 until then");
        }
        stopped.await();
    }

    static ApiClient apiClient(ExtenderConfig config) throws IOException {
        if (config.master() != null) {
            return new ClientBuilder().setBasePath(config.master()).build();
        }
        if (config.kubeconfig() != null) {
            try (Reader reader = Files.newBufferedReader(config.kubeconfig())) {
                KubeConfig kubeConfig = KubeConfig.loadKubeConfig(reader);
                kubeConfig.setFile(config.kubeconfig().toFile());
                return ClientBuilder.kubeconfig(kubeConfig).build();
            }
        }
        return ClientBuilder.standard().build();
    }
}
