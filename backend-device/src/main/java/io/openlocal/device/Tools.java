package io.openlocal.device;

import io.openlocal.backend.Health;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks that the external tools a backend needs can run here (each asked for its version). */
public final class Tools {

    private Tools() {
    }

    /**
     * @param required tools without which the backend cannot work
     * @param optional tools whose absence only limits it (reported as missing, backend still ready)
     */
    public static Health health(CommandRunner runner, Duration timeout, String backend, List<String> required,
                                List<String> optional) {
        List<String> missing = new ArrayList<>();
        List<String> missingRequired = new ArrayList<>();
        for (String tool : required) {
            if (!runs(runner, timeout, tool)) {
                missing.add(tool);
                missingRequired.add(tool);
            }
        }
        for (String tool : optional) {
            if (!runs(runner, timeout, tool)) {
                missing.add(tool);
            }
        }
        if (!missingRequired.isEmpty()) {
            return new Health(false, backend + " cannot work: " + missingRequired + " cannot be run", missing);
        }
        return new Health(true, backend + " ready" + (missing.isEmpty() ? "" : "; missing " + missing), missing);
    }

    public static Health health(CommandRunner runner, Duration timeout, String backend, List<String> required) {
        return health(runner, timeout, backend, required, List.of());
    }

    private static boolean runs(CommandRunner runner, Duration timeout, String tool) {
        try {
            // util-linux and e2fsprogs/xfsprogs take -V; coreutils only --version.
            String flag = tool.equals("stat") ? "--version" : "-V";
            CommandResult result = runner.run(new Command(List.of(tool, flag), timeout, Map.of()));
            return result.succeeded();
        } catch (StorageException | IllegalArgumentException e) {
            return false;
        }
    }
}
