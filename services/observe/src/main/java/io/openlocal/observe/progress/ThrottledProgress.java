package io.openlocal.observe.progress;

import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.progress.ProgressReport;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Passes on at most one report per operation per interval, so a chatty operation (a fraction per megabyte) cannot
 * flood a log or the API server: an operation's first report at once; later ones only once the interval since the
 * last one passed on has run out; the latest held-back report when the interval ends (so a step that hangs is seen
 * after one interval, not only when the next one starts); and the finished report always, dropping anything held.
 *
 * <p>Thread-safe; the downstream listener is called under this object's lock, from the reporting thread or from
 * this object's one timer thread, never two at once.
 */
public final class ThrottledProgress implements Progress, AutoCloseable {

    /** How often the daemons pass on an operation's progress: a log line every ~2 s reads as live, not as noise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private static final class Operation {
        long lastSentNanos;
        ProgressReport held;
        boolean flushScheduled;
    }

    private final Progress downstream;
    private final long intervalNanos;
    private final Map<String, Operation> operations = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress-timer");
        t.setDaemon(true);
        return t;
    });

    public ThrottledProgress(Progress downstream, Duration interval) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public synchronized void report(ProgressReport report) {
        if (report.finished()) {
            operations.remove(report.operation());
            downstream.report(report);
            return;
        }
        long now = System.nanoTime();
        Operation op = operations.get(report.operation());
        if (op == null) {
            op = new Operation();
            operations.put(report.operation(), op);
            send(op, report, now);
            return;
        }
        long due = op.lastSentNanos + intervalNanos;
        if (now - due >= 0) {
            send(op, report, now);
            return;
        }
        op.held = report;
        if (!op.flushScheduled) {
            op.flushScheduled = true;
            Operation scheduled = op;
            timer.schedule(() -> flush(report.operation(), scheduled), due - now, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void flush(String operation, Operation op) {
        op.flushScheduled = false;
        // The operation may have finished (or started again under the same name) since the flush was scheduled.
        if (operations.get(operation) == op && op.held != null) {
            send(op, op.held, System.nanoTime());
        }
    }

    private void send(Operation op, ProgressReport report, long now) {
        op.held = null;
        op.lastSentNanos = now;
        downstream.report(report);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
