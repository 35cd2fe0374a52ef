package io.openlocal.launcher;

import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.config.standalone.StandaloneConfig;
import io.openlocal.launcher.standalone.Standalone;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code open-local standalone}: everything on this machine, no Kubernetes, until Ctrl-C or SIGTERM. */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {"Run agent, CSI controller and node on this machine with no Kubernetes, on loop-device pools.",
                "Stays up until Ctrl-C or SIGTERM, then removes everything it made (mounts, volume groups, loops, "
                        + "backing files). Needs root."})
final class StandaloneCommand implements Runnable {

    @Mixin
    StandaloneOptions options;

    @Override
    public void run() {
        StandaloneConfig config = options.load();
        System.out.println("open-local standalone: preparing pools in " + config.stateDir() + " ...");
        Standalone standalone = Standalone.start(config, ProcessCommandRunner.standard(), routing -> {
            // The scheduler extender's HTTP routes join this listener here once it is wired in.
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("open-local standalone: stopping, removing what was made ...");
            standalone.close();
            System.out.println("open-local standalone: stopped.");
            stopped.countDown();
        }, "standalone-shutdown"));
        print(standalone);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void print(Standalone standalone) {
        if (!standalone.leftoversRemoved().isEmpty()) {
            System.out.println("  removed leftovers of an earlier run: " + standalone.leftoversRemoved().size()
                    + " item(s)");
        }
        System.out.println("  node:          " + standalone.nodeName());
        for (String pool : standalone.pools()) {
            System.out.println("  pool:          " + pool);
        }
        if (!standalone.missingFeatures().isEmpty()) {
            System.out.println("  this kernel lacks: " + String.join(", ", standalone.missingFeatures())
                    + " (LVM volumes are created and expanded, but cannot be activated, mounted or snapshotted)");
        }
        System.out.println("  CSI endpoint:  unix://" + standalone.socket());
        System.out.println("  kubelet dir:   " + standalone.kubeletDir() + " (staging and target paths go here)");
        System.out.println("  health:        " + standalone.httpBase() + "/health");
        System.out.println("  metrics:       " + standalone.httpBase() + "/metrics");
        System.out.println("open-local standalone: ready. Ctrl-C to stop.");
    }
}
