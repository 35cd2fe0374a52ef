package io.openlocal.backend.spdk;

import java.util.List;

/**
 * What a recovery pass found after (re)connecting to the target.
 *
 * @param connectionGeneration the connection it ran on
 * @param reattached           base bdevs that had to be attached again (the target had restarted)
 * @param restoredExports      exports that had to be created again
 * @param problems             what could not be restored, one sentence each, naming the pool or volume
 */
public record RecoveryReport(long connectionGeneration, List<String> reattached, List<String> restoredExports,
                             List<String> problems) {

    public RecoveryReport {
        reattached = List.copyOf(reattached);
        restoredExports = List.copyOf(restoredExports);
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
