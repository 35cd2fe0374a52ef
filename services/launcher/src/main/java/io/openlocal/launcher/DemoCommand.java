package io.openlocal.launcher;

import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.config.standalone.StandaloneConfig;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.server.UnixSocket;
import io.openlocal.launcher.demo.Demo;
import io.openlocal.launcher.standalone.Standalone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code open-local demo}: a whole volume lifecycle through the CSI socket, step by step with times. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Drive a volume lifecycle through the CSI socket (create, stage, publish, write, stats, expand, "
                + "snapshot, unpublish, unstage, delete) and print each step with its time.",
                "With --standalone it first starts a standalone plugin in this process (on loop devices, in a "
                        + "temporary state directory unless --state-dir is given) and removes it afterwards. Needs "
                        + "root."})
final class DemoCommand implements Callable<Integer> {

    @Mixin
    LogOptions logging;

    @Mixin
    StandaloneOptions options;

    @Option(names = "--standalone", description = "Start an embedded standalone plugin for the demo and stop it after.")
    boolean standalone;

    @Option(names = "--kubelet-dir", paramLabel = "DIR",
            description = "The plugin's kubelet directory (default: the standalone configuration's).")
    Path kubeletDir;

    @Override
    public Integer call() throws Exception {
        logging.apply();
        if (standalone) {
            boolean temporary = options.stateDir == null;
            if (temporary) {
                options.stateDir = Files.createTempDirectory("open-local-demo-");
            }
            StandaloneConfig config = options.load().withHttpPort(0);
            System.out.println("open-local demo: starting an embedded standalone plugin in " + config.stateDir()
                    + " ...");
            long start = System.nanoTime();
            try (Standalone plugin = Standalone.start(config, ProcessCommandRunner.standard(), routing -> { })) {
                System.out.printf("open-local demo: standalone ready in %d ms%n", (System.nanoTime() - start) / 1_000_000);
                StandaloneCommand.print(plugin);
                System.out.println();
                return runDemo(plugin.socket(), kubeletDir != null ? kubeletDir : plugin.kubeletDir());
            } finally {
                System.out.println("open-local demo: standalone stopped; its loops, volume groups and files are gone.");
                if (temporary) {
                    Files.deleteIfExists(options.stateDir.resolve("standalone.lock"));
                    Files.deleteIfExists(options.stateDir);
                }
            }
        }
        StandaloneConfig config = options.load();
        return runDemo(UnixSocket.parseEndpoint(config.endpoint()), kubeletDir != null ? kubeletDir
                : config.kubeletDir());
    }

    private static int runDemo(Path socket, Path kubeletDir) {
        if (!Files.exists(socket)) {
            throw new IllegalStateException("no CSI socket at " + socket + ": start `open-local standalone` first, "
                    + "or run `open-local demo --standalone`");
        }
        System.out.println("CSI endpoint unix://" + socket);
        try (CsiClient client = CsiClient.connect(socket, 120)) {
            return new Demo(client, kubeletDir, System.out).run() == 0 ? 0 : 1;
        }
    }
}
