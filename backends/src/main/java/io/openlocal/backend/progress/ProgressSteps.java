package io.openlocal.backend.progress;

import java.util.Objects;

/**
 * One operation's steps, reported in order to a {@link Progress}: checks first ({@link #note}), then the numbered
 * changes ({@link #plan} how many, then {@link #step} each), with {@link #fraction} for byte-level work inside a
 * step; {@link #close} reports the end, whether the operation succeeded or threw. Used by the one thread doing the
 * operation.
 */
public final class ProgressSteps implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProgressSteps.class.getName());

    private final Progress progress;
    private final String operation;
    private String step = "starting";
    private int index;
    private int count;
    private boolean closed;
    private boolean listenerFailed;

    private ProgressSteps(Progress progress, String operation) {
        this.progress = Objects.requireNonNull(progress, "progress");
        this.operation = Objects.requireNonNull(operation, "operation");
    }

    /** Starts reporting an operation ({@code initialising VG pool0}); nothing is sent until the first step. */
    public static ProgressSteps begin(Progress progress, String operation) {
        return new ProgressSteps(progress, operation);
    }

    /** Announces {@code more} numbered steps beyond those already planned. */
    public ProgressSteps plan(int more) {
        if (more < 0) {
            throw new IllegalArgumentException("cannot plan " + more + " steps");
        }
        count += more;
        return this;
    }

    /** A step outside the numbered ones, such as the checks before anything is changed. */
    public void note(String text) {
        step = text;
        send(0, Double.NaN, false);
    }

    /** The next numbered step begins (the plan grows if the caller under-counted). */
    public void step(String text) {
        step = text;
        index++;
        count = Math.max(count, index);
        send(index, Double.NaN, false);
    }

    /** How much of the current step's bytes are done, 0..1. */
    public void fraction(double done) {
        send(index, Math.max(0, Math.min(1, done)), false);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            send(index, Double.NaN, true);
        }
    }

    private void send(int at, double fraction, boolean finished) {
        try {
            progress.report(new ProgressReport(operation, step, at, count, fraction, finished));
        } catch (RuntimeException e) {
            // Progress is for people watching; the storage work goes on without it.
            if (!listenerFailed) {
                listenerFailed = true;
                LOG.log(System.Logger.Level.WARNING, "progress listener failed for " + operation, e);
            }
        }
    }
}
