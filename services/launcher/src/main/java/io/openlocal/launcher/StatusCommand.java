package io.openlocal.launcher;

import io.openlocal.launcher.status.NlsReader;
import io.openlocal.launcher.status.NodeReport;
import io.openlocal.launcher.status.StatusException;
import io.openlocal.launcher.status.StatusJson;
import io.openlocal.launcher.status.StatusReports;
import io.openlocal.launcher.status.StatusTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code open-local status}: every node's pools, capacity and use, from the NodeLocalStorage statuses. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print each node's storage pools (VGs, devices, mount points, SPDK lvstores) with capacity "
                + "and use, from the NodeLocalStorage statuses the agents write. See docs/operations.md."})
final class StatusCommand implements Runnable {

    // Flags are checked in run(), not by picocli, so that every mistake is one line and exit code 1 (an operator
    // tool used in scripts), like an unreachable server.
    // arity 0..1: a flag given without its value reaches run() as "" and is refused there, in one line.
    @Option(names = "--master", paramLabel = "URL", arity = "0..1", fallbackValue = "",
            description = "API server URL used without credentials (e.g. kubectl proxy).")
    String master;

    @Option(names = "--kubeconfig", paramLabel = "FILE", arity = "0..1", fallbackValue = "",
            description = "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in-cluster).")
    String kubeconfig;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", arity = "0..1",
            fallbackValue = "",
            description = "table (sizes in binary units) or json (exact bytes). Default: ${DEFAULT-VALUE}.")
    String format;

    @Unmatched
    List<String> unknown = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private static void requireValue(String flag, String value, String expected) {
        if (value != null && value.isBlank()) {
            throw new StatusException(flag + " needs a value: " + expected);
        }
    }

    @Override
    public void run() {
        if (!unknown.isEmpty()) {
            throw new StatusException("unknown argument " + unknown.getFirst() + " (see open-local status --help)");
        }
        requireValue("--master", master, "URL");
        requireValue("--kubeconfig", kubeconfig, "FILE");
        requireValue("-o", format, "table or json");
        if (!format.equals("table") && !format.equals("json")) {
            throw new StatusException("-o " + format + ": expected table or json");
        }
        if (master != null && kubeconfig != null) {
            throw new StatusException("--master and --kubeconfig exclude each other");
        }
        NlsReader reader = NlsReader.connect(Optional.ofNullable(master),
                Optional.ofNullable(kubeconfig).map(Path::of));
        List<NodeReport> reports = StatusReports.of(reader.list());
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            StatusJson.print(reports, out);
        } else {
            StatusTable.print(reports, out);
        }
    }
}
