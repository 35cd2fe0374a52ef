package io.openlocal.observe.progress;

import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.progress.ProgressReport;
import java.util.logging.Logger;

/**
 * Logs each report it gets at INFO as {@code <operation>: <step> (i/n)}; put it behind a {@link ThrottledProgress}.
 * The end of an operation is not logged: its outcome is told where it is acted on (an Event, an error).
 */
public final class ProgressLog implements Progress {

    private final Logger log;

    public ProgressLog(Logger log) {
        this.log = log;
    }

    /** A progress log to {@code log}, at most one line per operation per {@link ThrottledProgress#DEFAULT_INTERVAL}. */
    public static ThrottledProgress throttled(Logger log) {
        return new ThrottledProgress(new ProgressLog(log), ThrottledProgress.DEFAULT_INTERVAL);
    }

    @Override
    public void report(ProgressReport report) {
        if (!report.finished()) {
            log.info(report.line());
        }
    }
}
