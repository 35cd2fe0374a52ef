package io.openlocal.backend.progress;

/**
 * Listens to long backend work (pool initialisation, device wipes) step by step, so a daemon can show where an
 * operation is: the agent logs it and puts it in the NodeLocalStorage status. A backend gets its listener from
 * {@link io.openlocal.backend.BackendContext#progress()} and reports through {@link ProgressSteps}.
 *
 * <p>Called on the thread doing the work, in order; a listener must be quick (hand slow work such as API writes
 * to another thread) and should not throw: {@link ProgressSteps} drops what it throws, since a failing listener
 * must not fail the storage work it watches.
 */
@FunctionalInterface
public interface Progress {

    /** A listener that ignores everything (the default when a daemon does not watch). */
    Progress NONE = report -> { };

    void report(ProgressReport report);

    /** This listener, then {@code next}, for each report (a log and a status, say). */
    default Progress andThen(Progress next) {
        java.util.Objects.requireNonNull(next, "next");
        return report -> {
            report(report);
            next.report(report);
        };
    }
}
