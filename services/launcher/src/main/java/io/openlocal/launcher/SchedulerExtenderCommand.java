package io.openlocal.launcher;

import io.openlocal.extender.ExtenderMain;
import io.openlocal.extender.config.ExtenderOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code open-local scheduler-extender}: the kube-scheduler extender. Its flags are Open-Local's scheduler flags
 * ({@code --port}, {@code --scheduler-strategy}, {@code --master}, {@code --kubeconfig}, ...), parsed by the
 * extender itself so that they stay as Open-Local users know them.
 */
@Command(name = "scheduler-extender",
        description = {"Run the kube-scheduler extender (filter and prioritize by local capacity, allocation "
                + "ledger). Flags as Open-Local's scheduler: see --help."})
final class SchedulerExtenderCommand implements Runnable {

    @Mixin
    LogOptions logging;

    @Option(names = {"-h", "--help"}, description = "Show the extender's flags and exit.")
    boolean help;

    @Unmatched
    List<String> flags = new ArrayList<>();

    @Override
    public void run() {
        if (help) {
            System.out.print(ExtenderOptions.USAGE);
            // The launcher's own flag, taken before the extender parses the rest.
            System.out.println("  --log-format FORMAT         text (default) or json: one JSON object per log line");
            return;
        }
        logging.apply();
        try {
            ExtenderMain.run(ExtenderOptions.parse(flags.toArray(String[]::new)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
