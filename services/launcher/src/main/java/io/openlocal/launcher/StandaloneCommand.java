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
    LogOptions logging;

    @Mixin
    StandaloneOptions options;

    @Override
    public void run() {
        logging.apply();
        StandaloneConfig config = options.load();
        Daemons.say("open-local standalone: preparing pools in " + config.stateDir() + " ...");
        Standalone standalone = Standalone.start(config, ProcessCommandRunner.standard(), routing -> {
            // The scheduler extender's HTTP routes join this listener here once it is wired in.
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Daemons.say("open-local standalone: stopping, removing what was made ...");
            standalone.close();
            Daemons.say("open-local standalone: stopped.");
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
            Daemons.say("  removed leftovers of an earlier run: " + standalone.leftoversRemoved().size()
                    + " item(s)");
        }
        Daemons.say("  node:          " + standalone.nodeName());
        for (String pool : standalone.pools()) {
            Daemons.say("  pool:          " + pool);
        }
        if (!standalone.missingFeatures().isEmpty()) {
            Daemons.say("  this kernel lacks: " + String.join(", ", standalone.missingFeatures())
                    + " (LVM volumes are created and expanded, but cannot be activated, mounted or snapshotted)");
        }
        Daemons.say("  CSI endpoint:  unix://" + standalone.socket());
        Daemons.say("  kubelet dir:   " + standalone.kubeletDir() + " (staging and target paths go here)");
        Daemons.say("  health:        " + standalone.httpBase() + "/health");
        Daemons.say("  metrics:       " + standalone.httpBase() + "/metrics");
        Daemons.say("open-local standalone: ready. Ctrl-C to stop.");
    }
}
